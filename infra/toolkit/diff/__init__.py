"""`primetradeai diff`: what changes between two plans, or a plan and a real `pulumi preview --json`."""
