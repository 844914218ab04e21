"""The JSON API: dependencies, error answers, request bodies, middleware (same origin, security headers, masked
access log) and the routes, a module per resource."""
