"""The API's document says how long a client must wait after a 429 (issue 13): every 429 response documents
the Retry-After header that the error handler sends (portal/errors.py)."""

from portal.api.openapi import openapi_document


def _responses(document):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                yield f"{method.upper()} {path}", status, response


def test_every_429_response_documents_retry_after(app):
    too_many = [(operation, response) for operation, status, response in _responses(openapi_document())
                if status == "429"]
    assert len(too_many) >= 4  # every write operation is rate limited
    for operation, response in too_many:
        header = response.get("headers", {}).get("Retry-After")
        assert header, f"{operation}: 429 without Retry-After"
        assert header["schema"]["type"] == "integer" and header["description"]
