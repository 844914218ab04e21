"""Accounts and sessions of staff and citizens, login throttling, the audit trail, the demo accounts."""
