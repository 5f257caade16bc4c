"""HTTP plumbing shared by every route: error mapping, body limit, rate limit, CORS, security headers."""
