def test_home_redirects_anonymous_to_login(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_member_home(member_client):
    client, membership = member_client("professional")
    response = client.get("/")
    assert response.status_code == 200
    assert membership.organisation.name in response.content.decode()
