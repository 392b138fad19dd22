import pytest
from django.test import Client


@pytest.fixture
def staff(site_a):
    """A client logged in as centre A's staff member."""
    client = Client()
    client.force_login(site_a.staff)
    return client
