"""The procedure catalog as the counter and review screens need it: procedures with their components, document
types with their fields' Vietnamese labels."""

from __future__ import annotations

from fastapi import APIRouter

from digitize.api.deps import Actor, ServiceDep
from forms.catalog import Catalog, Procedure, field_title
from storage.records import STAFF_ROLES, Role

router = APIRouter(tags=["dossiers"])


def procedure_json(p: Procedure, catalog: Catalog) -> dict:
    def reusable(kinds: list[str]) -> list[str]:
        return [t for t in kinds if t in catalog.document_types and catalog.document_types[t].reusable]

    components = [{"key": c.key, "name": c.name, "required": c.required, "form": c.form,
                   "document_types": c.document_types, "reusable_types": reusable(c.document_types)}
                  for c in p.components]  # fmt: skip
    return {"code": p.code, "name": p.name, "level": p.level, "result": p.result,
            "processing_days": p.processing_days, "components": components}  # fmt: skip


@router.get("/api/procedures", summary="The procedure catalog: components and their papers")
def procedures(service: ServiceDep, actor: Actor):
    actor.require(*STAFF_ROLES)
    return [procedure_json(p, service.ctx.catalog) for p in service.ctx.catalog.procedures.values()]


@router.get("/api/document-types", summary="Document types: names and fields with their labels")
def document_types(service: ServiceDep, actor: Actor):
    actor.require(*STAFF_ROLES, Role.CITIZEN)
    return {
        code: {"name": t.name, "reusable": t.reusable,
               "fields": [{"key": f.key, "label": field_title(f), "kind": f.kind} for f in t.fields]}
        for code, t in service.ctx.catalog.document_types.items()
    }  # fmt: skip
