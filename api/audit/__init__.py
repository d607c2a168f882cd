"""The API's side of the audit trail: the store dependency and practitioners' feedback on a recommendation."""
