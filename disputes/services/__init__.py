"""Every write of disputes and warranty claims: opening, each party's step, the deadlines.

One service per step; each locks the case, checks the graph in
``disputes.status`` and writes the event in the same transaction. Escalation
opens a ticket on the dispute or warranty topic through ``tickets.services``,
so it is routed like any ticket.
"""

from disputes.services._common import (
    CaseNotFound,
    DisputeAlreadyOpen,
    InvalidCase,
    OutsideWarranty,
    OutsideWindow,
    SellerDeadlinePassed,
    day_text,
)
from disputes.services.claims import (
    warranty_claim_cancel,
    warranty_claim_decide,
    warranty_claim_open,
    warranty_claim_seller_accept,
    warranty_claim_seller_refuse,
    warranty_deadlines_run,
)
from disputes.services.disputes import (
    dispute_buyer_accept_counter,
    dispute_buyer_cancel,
    dispute_buyer_escalate,
    dispute_deadlines_run,
    dispute_decide,
    dispute_open,
    dispute_seller_accept,
    dispute_seller_counter,
    dispute_seller_reject,
)
from disputes.services.evidence import MAX_EVIDENCE_PER_CASE, evidence_add
from disputes.services.upkeep import case_reminders_run, cases_close_run

__all__ = [
    "MAX_EVIDENCE_PER_CASE",
    "CaseNotFound",
    "DisputeAlreadyOpen",
    "InvalidCase",
    "OutsideWarranty",
    "OutsideWindow",
    "SellerDeadlinePassed",
    "case_reminders_run",
    "cases_close_run",
    "day_text",
    "dispute_buyer_accept_counter",
    "dispute_buyer_cancel",
    "dispute_buyer_escalate",
    "dispute_deadlines_run",
    "dispute_decide",
    "dispute_open",
    "dispute_seller_accept",
    "dispute_seller_counter",
    "dispute_seller_reject",
    "evidence_add",
    "warranty_claim_cancel",
    "warranty_claim_decide",
    "warranty_claim_open",
    "warranty_claim_seller_accept",
    "warranty_claim_seller_refuse",
    "warranty_deadlines_run",
]
