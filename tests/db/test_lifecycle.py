"""db/lifecycle.py: a departed supporter's cards passed, on a real database."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from db import lifecycle
from db.models import Proposal, ProposalStatus, RequestStatus
from tests.db.repo import NOW, ask, member, request


def test_pass_all_asked_passes_only_that_supporters_open_cards(session: Session) -> None:
    resident, sato, suzuki = member(session, "resident"), member(session, "sato"), member(session, "suzuki")
    one, two = request(session, resident, RequestStatus.OPEN), request(session, resident, RequestStatus.OPEN)
    ask(session, one, sato, ProposalStatus.ASKED)
    ask(session, two, sato, ProposalStatus.ACCEPTED)
    ask(session, one, suzuki, ProposalStatus.ASKED)
    lifecycle.pass_all_asked(session, sato.id, NOW)
    states = {
        (p.supporter_id, p.request_id): (p.status, p.answered_at)
        for p in session.scalars(select(Proposal).execution_options(populate_existing=True))
    }
    assert states[(sato.id, one.id)][0] == ProposalStatus.PASSED and states[(sato.id, one.id)][1] is not None
    assert states[(sato.id, two.id)][0] == ProposalStatus.ACCEPTED
    assert states[(suzuki.id, one.id)] == (ProposalStatus.ASKED, None)
