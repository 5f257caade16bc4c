"""Preview: run a stack under the mock runtime (infra.harness) and turn what it registered into a plan.

`run.preview_stack` is the use case; `build` maps registrations to plan resources in the real engine's
terms, `scrub` keeps secrets out, `rendered` and `helm_render` expand Helm releases into their objects.
"""
