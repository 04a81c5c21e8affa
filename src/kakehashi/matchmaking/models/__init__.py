"""Tables of the matchmaking context (all prefixed `matchmaking_`), split by topic.

Opportunities (EEN-style offers and requests), startups/investors/funds/missions, events with their
sessions, slots and registrations, and the meetings a schedule places.
"""

from kakehashi.matchmaking.models.event import (
    Event,
    EventBreak,
    EventSession,
    RegistrationGroup,
    Slot,
)
from kakehashi.matchmaking.models.investment import (
    Fund,
    InvestorProfile,
    Mission,
    MissionMember,
    PitchDeck,
    PitchSlot,
    StartupProfile,
)
from kakehashi.matchmaking.models.meeting import (
    CalendarFeed,
    Meeting,
    MeetingFeedback,
    MeetingRequest,
    Registration,
    Reminder,
    ScheduleRun,
)
from kakehashi.matchmaking.models.opportunity import Interest, Opportunity

__all__ = [
    "CalendarFeed", "Event", "EventBreak", "EventSession", "Fund", "Interest", "InvestorProfile", "Meeting",
    "MeetingFeedback", "MeetingRequest", "Mission", "MissionMember", "Opportunity", "PitchDeck", "PitchSlot",
    "Registration", "RegistrationGroup", "Reminder", "ScheduleRun", "Slot", "StartupProfile",
]
