"""Monthly report to regents and the governor (issue 5)."""
