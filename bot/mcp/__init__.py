"""The MCP server: `trialqa mcp` (stdio, or streamable HTTP with --http). See README "MCP server"."""
