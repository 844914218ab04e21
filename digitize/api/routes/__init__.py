"""The JSON API's routes, a module per resource. Status codes: 401 without a valid session, 403 when the role may
not call the route, 404 for anything outside the caller's agency or, for a citizen, not their own approved paper
(the same answer as for nothing at all)."""

from digitize.api.routes import (
    accounts,
    catalog,
    citizens,
    dossiers,
    figures,
    files,
    handling,
    outbox,
    pages,
    public,
    ratings,
    review,
    search,
    sessions,
    system,
)

# In this order: within a module, a fixed path comes before the parameter that would otherwise take it.
MODULES = (system, sessions, public, accounts, citizens, catalog, dossiers, pages, files, review, figures, handling,
           search, ratings, outbox)  # fmt: skip
ROUTERS = [r.router for r in MODULES]
