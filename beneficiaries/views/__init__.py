"""Village pages: thin views over the services and the visibility selector (issue 3)."""
