"""The HTTP JSON API (`trialqa serve`): FastAPI on the shared uvicorn stack. See README "HTTP API"."""
