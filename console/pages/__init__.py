"""The console's pages: one route module per page (a Sanic blueprint each)."""
