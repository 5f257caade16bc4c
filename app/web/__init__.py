"""HTTP plumbing shared by every route: error mapping, body limit, security headers."""
