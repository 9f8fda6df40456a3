"""Reading the response envelope in tests: the data of a success, the error of a failure."""


def data(response):
    """`data` of a 200 success envelope."""
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["success"] is True
    return body["data"]


def error(response, status, code):
    """`error` of a failure envelope with this status and code."""
    assert response.status_code == status, response.get_json()
    body = response.get_json()
    assert body["success"] is False and body["error"]["code"] == code, body
    return body["error"]
