"""The demo's retention watch: renewal questions asked of the ALT personas, and at each company
one contract at risk and one in good health, so the retention and contract health pages have
something in every state.

Deterministic (it draws nothing, so the rest of the demo is unchanged). Only ALTs with an
account can be asked on altmatch, and in the demo only the ALT personas have one:

- James (Sakura) was asked `ask_days` before his renewal deadline (or three days ago, when that
  is still ahead: his company asked early), reminded once if the reminder date has come, and
  has not answered: his renewal page shows the question, and Sakura's staff see him waiting.
- Hannah (Minato) was asked the same way and answered two days later that she is undecided,
  with a reason (she is applying for a direct-hire post).

At each company, among contracts without a persona or an ALT whose transfer the demo tells:

- the first (by reference) with two or more ALTs working today: half of them (rounded up) have
  said they are leaving, so the contract is at risk (many ALTs at high risk);
- the next whose every post is filled and whose renewal date is not within the contract health
  watch window: its ALTs all renew, so nothing puts it at risk (it is OK unless the ALTs' tenure
  and other facts add up to high risk, which they cannot without leaving).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta

from altmatch.demo.dispatch_records import (
    DemoAssignment,
    DemoContract,
    DemoRenewalAsk,
    DemoRosterAlt,
    DemoTransfer,
    in_japan,
)
from altmatch.domain.retention_risk import ask_dates
from altmatch.rulebook.schema import Rulebook
from altmatch.rulebook.vocabulary import RenewalIntention

ASKED_EARLY_DAYS = 3  # when the ask date is still ahead, the company asked this many days ago
HANNAH_REASON = "I have applied for a direct-hire post and will know in February."


def _ask(alt: DemoRosterAlt, today: date, rulebook: Rulebook, *, answered: bool) -> DemoRenewalAsk:
    dates = ask_dates(alt.contract_end, rulebook.dispatch_retention)
    asked_on = min(dates.ask_from, today - timedelta(days=ASKED_EARLY_DAYS))
    reminded = dates.remind_from <= today and not answered
    answered_on = min(asked_on + timedelta(days=2), today)
    return DemoRenewalAsk(
        company_id=alt.company_id,
        alt_external_id=alt.external_id,
        contract_end=alt.contract_end,
        deadline=dates.deadline,
        asked_at=in_japan(asked_on, 9),
        reminded_at=in_japan(max(dates.remind_from, asked_on), 9) if reminded else None,
        answered_at=in_japan(answered_on, 19) if answered else None,
        answer=alt.renewal_intention if answered else None,
        reason=HANNAH_REASON if answered else "",
        answered_by_persona=alt.persona_key if answered else None,
    )


def add_retention(
    contracts: Sequence[DemoContract],
    roster: Sequence[DemoRosterAlt],
    assignments: Sequence[DemoAssignment],
    transfers: Sequence[DemoTransfer],
    today: date,
    rulebook: Rulebook,
) -> tuple[list[DemoRosterAlt], list[DemoRenewalAsk]]:
    """The roster with the chosen intentions, and the renewal questions (see the module)."""
    alts = list(roster)
    index = {(a.company_id, a.external_id): i for i, a in enumerate(alts)}
    asks = []
    for alt in alts:
        if alt.persona_key == "alt_james":
            asks.append(_ask(alt, today, rulebook, answered=False))
        elif alt.persona_key == "alt_hannah":
            asks.append(_ask(alt, today, rulebook, answered=True))
    moving = {(t.company_id, t.alt_external_id) for t in transfers}
    personas = {(a.company_id, a.external_id) for a in alts if a.persona_key}
    working: dict[tuple[str, str], list[str]] = {}
    for s in assignments:
        if s.end is None and s.start <= today:
            working.setdefault((s.company_id, s.contract_reference), []).append(s.alt_external_id)
    window = timedelta(days=rulebook.dispatch_retention.contract_health.watch_renewal_within_days)
    for company in sorted({c.company_id for c in contracts}):
        at_risk_done = ok_done = False
        for contract in sorted(
            (c for c in contracts if c.company_id == company), key=lambda c: c.reference
        ):
            if contract.end < today:
                continue
            here = sorted(working.get((company, contract.reference), []))
            keys = [(company, e) for e in here]
            if any(k in personas or k in moving for k in keys):
                continue
            if not at_risk_done and len(here) >= 2:
                for key in keys[: math.ceil(len(keys) / 2)]:
                    alts[index[key]] = replace(
                        alts[index[key]], renewal_intention=RenewalIntention.LEAVING
                    )
                at_risk_done = True
                continue
            renewal_soon = today <= contract.renewal_date <= today + window
            if not ok_done and here and len(here) == len(contract.positions) and not renewal_soon:
                for key in keys:
                    alts[index[key]] = replace(
                        alts[index[key]], renewal_intention=RenewalIntention.RENEWING
                    )
                ok_done = True
    return alts, asks
