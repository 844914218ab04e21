"""Citizens and their papers: a password or a one-time code set at the counter, the papers staff may reuse, and a
citizen's own papers and dossiers. A citizen sees only their own; staff only those of their agency's citizens."""

from __future__ import annotations

from fastapi import APIRouter

from digitize.api.bodies import CitizenPassword, ReuseRequest
from digitize.api.deps import AccountsDep, Actor, VaultDep
from digitize.people import auth

router = APIRouter(tags=["citizens"])


@router.put("/api/citizens/{id_number}/password", summary="Set a citizen's password (counter)")
def set_password(accounts: AccountsDep, actor: Actor, id_number: str, body: CitizenPassword):
    return accounts.set_citizen_password(actor, id_number, body.password, body.full_name)


@router.post("/api/citizens/{id_number}/code", summary="One-time login code (counter)")
def one_time_code(accounts: AccountsDep, actor: Actor, id_number: str):
    return accounts.citizen_code(actor, id_number)


@router.get("/api/citizens/{id_number}/papers", summary="A citizen's reusable papers (staff)")
def citizen_papers(vault: VaultDep, actor: Actor, id_number: str):
    return vault.papers(actor, auth.check_id_number(id_number))


@router.get("/api/me/papers", summary="My digitized papers and their history (citizen)")
def my_papers(vault: VaultDep, actor: Actor):
    return vault.my_papers(actor)


@router.get("/api/me/dossiers", summary="My dossiers: received, due, returned (citizen)")
def my_dossiers(vault: VaultDep, actor: Actor):
    return vault.my_dossiers(actor)


@router.get("/api/dossiers/{dossier_id}/reuse", tags=["repository"], summary="Papers offered for reuse")
def reuse_offers(vault: VaultDep, actor: Actor, dossier_id: str):
    return vault.offers(actor, dossier_id)


@router.post("/api/dossiers/{dossier_id}/reuse", tags=["repository"], summary="Attach offered papers, no scan")
def reuse(vault: VaultDep, actor: Actor, dossier_id: str, body: ReuseRequest):
    return vault.attach(actor, dossier_id, body.document_ids)
