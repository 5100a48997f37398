"""What most rules share: who a page or an operation answers, what fills its address."""

from __future__ import annotations

from tests.security.policy.rule import LOGIN, Outcome
from tests.security.world import ANONYMOUS

# A page only buyers use: anyone else signed in is refused by role.
BUYER_PAGE: dict[str, Outcome] = {ANONYMOUS: LOGIN, "sellers": 403, "staff": 403}
SELLER_PAGE: dict[str, Outcome] = {ANONYMOUS: LOGIN, "buyers": 403, "staff": 403}
AGENT_PAGE: dict[str, Outcome] = {ANONYMOUS: LOGIN, "buyers": 403, "sellers": 403}
PUBLIC: dict[str, Outcome] = {"everyone": 200}
TICKET = {"ticket_id": "ticket"}
DISPUTE = {"dispute_id": "dispute"}
CLAIM = {"claim_id": "claim"}
NOTES = (
    # What agent_in and the supervisor must see on A's ticket page (so the leak check can see).
    "note-only-agents-read-q7v",
    "memo-only-agents-read-q7v.txt",
)


# People by role on an operation only agents and supervisors use.
STAFF_OP: dict[str, Outcome] = {"buyers": 403, "sellers": 403}
SUPERVISOR_OP: dict[str, Outcome] = {"buyers": 403, "sellers": 403, "agents": 403}
NO_PEOPLE: dict[str, Outcome] = {"people": 403}  # integrators only
DISPUTE_ARGS = {"case_id": "dispute"}
CLAIM_ARGS = {"case_id": "claim"}
EVERY_DAY = {day: [["08:00", "20:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}
