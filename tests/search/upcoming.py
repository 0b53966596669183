"""The brute-force side of the property tests: which documents a search made on a given day keeps."""


def is_upcoming(document, day) -> bool:
    """Whether one can still join it on `day` (a camp: until the day before it starts); open ends run on."""
    joinable = document.get("joinable_until", document["last_day"])
    return joinable is None or joinable >= day
