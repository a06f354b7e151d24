"""db/supporters.py: insurance renewals due, on a real database."""

from __future__ import annotations

from sqlalchemy.orm import Session

from db import supporters
from db.models import SupporterRecord, SupporterStatus
from tests.db.repo import NOW, member


def test_renewal_due_is_the_insured_approved_reachable_and_not_yet_reminded(session: Session) -> None:
    people = {name: member(session, name) for name in ("due", "reminded", "other_year", "applicant", "gone")}
    people["gone"].active = False
    for name, person in people.items():
        session.add(
            SupporterRecord(
                member_id=person.id,
                status=SupporterStatus.APPLICANT if name == "applicant" else SupporterStatus.APPROVED,
                applied_at=NOW,
                insured_year=2025 if name == "other_year" else 2026,
                renewal_reminded_year=2026 if name == "reminded" else 2025,
            )
        )
    session.flush()
    assert [r.member_id for r in supporters.renewal_due(session, 2026)] == [people["due"].id]
