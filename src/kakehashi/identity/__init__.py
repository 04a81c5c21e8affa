"""Identity: accounts, roles, sessions, API tokens. Other contexts use this surface only."""

from kakehashi.identity.models import User
from kakehashi.identity.services import (
    RoleSpec,
    find_user_by_email,
    get_user,
    on_profile_saved,
    users_of_org,
)

__all__ = ["RoleSpec", "User", "find_user_by_email", "get_user", "officers_of_side", "on_profile_saved",
           "users_of_org"]
