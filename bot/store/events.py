"""Handled events: each Slack message is claimed before it is answered, so redeliveries (and the
``app_mention`` / ``message`` copies of one DM) are answered once, across restarts and replicas."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from .engine import StoreBase, utc_now
from .tables import handled_events

CLAIM_LEASE = timedelta(seconds=60)
"""A claimed event not answered within this long (its process died) may be taken over by a redelivery."""


class ClaimOutcome(StrEnum):
    """What claiming an event found: whether this delivery should answer it."""

    CLAIMED = "claimed"
    """The first delivery: answer it."""
    TAKEN_OVER = "taken_over"
    """Claimed before, but not answered within the lease (its process died): answer it."""
    IN_PROGRESS = "in_progress"
    """Claimed within the lease and not answered yet: someone is answering it."""
    COMPLETED = "completed"
    """Answered already."""

    @property
    def granted(self) -> bool:
        return self in (ClaimOutcome.CLAIMED, ClaimOutcome.TAKEN_OVER)


class EventClaims(StoreBase):
    """The store's handled events."""

    def claim_event(
        self,
        event_key: str,
        kind: str = "event",
        *,
        lease: timedelta = CLAIM_LEASE,
        now: datetime | None = None,
    ) -> ClaimOutcome:
        """Claim ``event_key`` before answering it; ``complete_event`` once answered.

        Granted to the first claim only (across threads, restarts and replicas) — and to a later one when
        the claim before it was not completed within ``lease``, as when its process died mid-answer.
        """
        moment = now or utc_now()
        event_key = event_key[:255]
        try:
            with self.writing() as conn:
                conn.execute(
                    insert(handled_events).values(
                        event_key=event_key, kind=kind, received_at=moment, claimed_at=moment
                    )
                )
            return ClaimOutcome.CLAIMED
        except IntegrityError:
            pass
        with self.writing() as conn:
            # compare-and-set: of two redeliveries taking over at once, only one changes the row
            taken = conn.execute(
                update(handled_events)
                .where(
                    handled_events.c.event_key == event_key,
                    handled_events.c.completed_at.is_(None),
                    handled_events.c.claimed_at < moment - lease,
                )
                .values(claimed_at=moment)
            ).rowcount
            if taken:
                return ClaimOutcome.TAKEN_OVER
            completed = conn.execute(
                select(handled_events.c.completed_at).where(handled_events.c.event_key == event_key)
            ).scalar()
        return ClaimOutcome.COMPLETED if completed is not None else ClaimOutcome.IN_PROGRESS

    def complete_event(self, event_key: str, *, now: datetime | None = None) -> None:
        """Mark a claimed event answered: no redelivery will answer it again."""
        with self.writing() as conn:
            conn.execute(
                update(handled_events)
                .where(handled_events.c.event_key == event_key[:255])
                .values(completed_at=now or utc_now())
            )

    def prune_events(self, older_than: timedelta = timedelta(days=7)) -> int:
        """Forget events older than Slack could ever redeliver; returns how many were removed."""
        with self.writing() as conn:
            result = conn.execute(
                delete(handled_events).where(handled_events.c.received_at < utc_now() - older_than)
            )
            return result.rowcount or 0
