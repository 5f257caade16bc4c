"""The Pulumi components `stacks/__main__.py` composes: one `ComponentResource` per module, named for
what it provisions (`network`, `cluster`, `redis_cache`, `atlas_database`, `monitoring`, `app_secrets`,
`edge`, `task_api`), plus the two helpers they share (`tagging`, `outputs`).

Type tokens keep the names the stacks were first deployed with (`primetradeai:app:TaskApi`,
`primetradeai:observability:Observability`...): a token is part of the URN of the component and of every
child, so changing one would make Pulumi replace those resources or need an alias on each.
"""
