"""Write endpoints: reviewing facts, adding missed ones, splitting/merging incidents (watchlists
are written in watch_pages.py).

Every one needs a signed-in analyst and the session's CSRF token in the X-CSRF-Token header
(deps.require_user); the page's JavaScript sends both.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, Field

from borderwatch.serve.deps import db, require_user
from borderwatch.store import review as rv

router = APIRouter()


class FactReview(BaseModel):
    """Accept or reject a fact."""

    action: str = Field(pattern="^(accept|reject)$")


class AmountCorrection(BaseModel):
    """New values for an amount: `value` (or a range `min`..`max`), and a currency (money, ISO
    4217) or a unit (quantities); leave out what stays. US dollars are worked out again."""

    value: float | None = None
    min: float | None = None
    max: float | None = None
    currency: str | None = Field(default=None, max_length=8)
    unit: str | None = Field(default=None, max_length=40)


class EventAmount(AmountCorrection):
    """One of the event's amounts, by id, with its new values."""

    id: int


class EventCorrection(BaseModel):
    """New values for an event; leave out what stays. `places` and `commodities` (goods, by
    name, alias or id from the goods data) replace the event's lists."""

    type: str | None = None
    places: list[str] | None = None
    commodities: list[str] | None = None
    date: str | None = None
    attribution_holder: str | None = None
    attribution_kind: str | None = None
    amounts: list[EventAmount] | None = None


class NewEvent(BaseModel):
    """A missed event: the selected span of the report text and its type."""

    start: int
    end: int
    type: str
    places: list[str] = []
    commodities: list[str] = []
    date: str | None = None


class IncidentSplit(BaseModel):
    event_ids: list[int]


class IncidentMerge(BaseModel):
    incident_ids: list[int]



def _bad(exc: Exception) -> HTTPException:
    return HTTPException(status_code=400, detail=str(exc))


@router.post("/api/facts/{table}/{fact_id}/review")
def review_fact(table: str, fact_id: int, body: FactReview, user: str = Depends(require_user),
                conn: sqlite3.Connection = Depends(db)) -> dict[str, Any]:
    """Accept or reject a mention, amount, date, attribution or event."""
    try:
        out = rv.review_fact(conn, table, fact_id, body.action, user)
    except rv.ReviewError as exc:
        raise _bad(exc) from exc
    if table != "amounts":  # a rejected event, place or date changes the incidents at once
        _regroup(conn)
    return out


@router.post("/api/events/{event_id}/correct")
def correct_event(event_id: int, body: EventCorrection, user: str = Depends(require_user),
                  conn: sqlite3.Connection = Depends(db)) -> dict[str, Any]:
    """Change an event's type, places, goods, date, source or amounts (kept through reextract)."""
    changes = body.model_dump(exclude_unset=True)
    if "amounts" in changes:  # an amount's fields left out stay as they are
        changes["amounts"] = [a.model_dump(exclude_unset=True) for a in body.amounts or []]
    if not changes:
        raise HTTPException(status_code=400, detail="nothing to change")
    try:
        out = rv.correct_event(conn, event_id, changes, user)
    except rv.ReviewError as exc:
        raise _bad(exc) from exc
    _regroup(conn)
    return out


@router.post("/api/amounts/{amount_id}/correct")
def correct_amount(amount_id: int, body: AmountCorrection, user: str = Depends(require_user),
                   conn: sqlite3.Connection = Depends(db)) -> dict[str, Any]:
    """Correct an amount of money (number, currency; US dollars at the report's date worked
    out again) or a quantity (number, unit); kept through reextract."""
    try:
        return rv.correct_amount(conn, amount_id, body.model_dump(exclude_unset=True), user)
    except rv.ReviewError as exc:
        raise _bad(exc) from exc


@router.post("/api/reviews/{review_id}/undo")
def undo(review_id: int, user: str = Depends(require_user),
         conn: sqlite3.Connection = Depends(db)) -> dict[str, Any]:
    """Undo a review (accept, reject, correction, added event, report edit, incident split or
    merge): the rows it changed go back to exactly how they were. 409 when a later review
    changed them again (undo that first); the undo is logged as a review of its own."""
    from borderwatch.jobs import undo as run_undo

    try:
        return run_undo(conn, review_id, user)
    except rv.ReviewConflict as exc:
        raise HTTPException(status_code=409, detail=str(exc)) from exc
    except rv.ReviewError as exc:
        raise _bad(exc) from exc


class ReportDetails(BaseModel):
    title: str | None = Field(default=None, max_length=500)
    published: str | None = Field(default=None, max_length=10)
    outlet: str | None = Field(default=None, max_length=200)


@router.post("/api/reports/{report_id}/details")
def edit_details(report_id: str, body: ReportDetails, user: str = Depends(require_user),
                 conn: sqlite3.Connection = Depends(db)) -> dict[str, Any]:
    """Correct a report's title, publication date or outlet (logged; its facts re-extracted
    when they depend on the change)."""
    from borderwatch.jobs import edit_details as run_edit

    changes = body.model_dump(exclude_unset=True)
    if not changes:
        raise HTTPException(status_code=400, detail="nothing to change")
    try:
        return run_edit(conn, report_id, changes, user)
    except rv.ReviewError as exc:
        raise _bad(exc) from exc


@router.post("/api/reports/{report_id}/events")
def add_event(report_id: str, body: NewEvent, user: str = Depends(require_user),
              conn: sqlite3.Connection = Depends(db)) -> dict[str, Any]:
    """Add an event the extractor missed, from a selection of the report text."""
    try:
        eid = rv.add_event(conn, report_id, body.start, body.end, body.type, user, body.places,
                           body.date, body.commodities)
    except rv.ReviewError as exc:
        raise _bad(exc) from exc
    _regroup(conn)
    return {"id": eid}


@router.get("/api/reviews")
def reviews(report_id: str | None = None, page: int = 1,
            conn: sqlite3.Connection = Depends(db)) -> dict[str, Any]:
    """Review history, newest first: who changed what, when, before and after, whether it was
    undone (`undone_by`) and whether it can be (`can_undo`)."""
    return {"reviews": rv.list_reviews(conn, report_id, 100, (max(page, 1) - 1) * 100)}


@router.post("/api/incidents/{incident_id}/split")
def split(incident_id: int, body: IncidentSplit, user: str = Depends(require_user),
          conn: sqlite3.Connection = Depends(db)) -> dict[str, Any]:
    """Move some events of an incident into an incident of their own."""
    from borderwatch.store.incidents import IncidentError, split_incident

    try:
        return {"key": split_incident(conn, incident_id, body.event_ids, user)}
    except IncidentError as exc:
        raise _bad(exc) from exc


@router.post("/api/incidents/merge")
def merge(body: IncidentMerge, user: str = Depends(require_user),
          conn: sqlite3.Connection = Depends(db)) -> dict[str, Any]:
    """Make several incidents one."""
    from borderwatch.store.incidents import IncidentError, merge_incidents

    try:
        return {"key": merge_incidents(conn, body.incident_ids, user)}
    except IncidentError as exc:
        raise _bad(exc) from exc


def _regroup(conn: sqlite3.Connection) -> None:
    """Incidents follow the facts: regroup what a correction of type, place or date can have
    moved (the review noted its report), not every incident."""
    from borderwatch.store.incidents import regroup_pending

    regroup_pending(conn)
