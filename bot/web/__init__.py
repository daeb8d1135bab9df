"""The one HTTP stack every trialqa server runs on: uvicorn serving an ASGI app, behind the same
body limit and access log (`trialqa serve`, `trialqa slack --http`, `trialqa mcp --http`)."""
