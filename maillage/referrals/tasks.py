"""Background job of the referrals app (django-tasks). The scheduler (maillage/jobs) runs it daily; it is
idempotent: a referral is flagged, and its sender told, once, however often the job runs."""

from django_tasks import task

from maillage.referrals.services import referrals_flag_unanswered


@task()
def flag_unanswered_referrals() -> int:
    """Flags the referrals left unanswered beyond `MAILLAGE_REFERRAL_UNANSWERED_DAYS`; returns how many."""
    return referrals_flag_unanswered()
