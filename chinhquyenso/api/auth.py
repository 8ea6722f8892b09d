"""Bearer-token authentication for staff API clients."""

from ninja.security import HttpBearer

from chinhquyenso.core.permissions import is_staff_member
from chinhquyenso.core.services import api_token_authenticate


class StaffBearer(HttpBearer):
    def authenticate(self, request, token):
        user = api_token_authenticate(token=token)
        if user is None or not is_staff_member(user):
            return None
        request.user = user
        return user
