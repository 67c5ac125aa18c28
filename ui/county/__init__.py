"""县局审核 screen: the imported cases, the county's decisions, result packages (issue 6)."""
