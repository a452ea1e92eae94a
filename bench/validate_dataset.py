#!/usr/bin/env python3
"""Checks a JSON-lines dataset against docs/import-format.md and docs/api.md by hand.

    python3 bench/validate_dataset.py FILE [--summary]

Written so bench_gen's output can be verified without `chosen import`: every line is
one JSON object with a known `type`, required fields present, no unknown fields,
values within the API's rules (enums, lengths, RFC 3339 instants, dates, phone digits,
tags), external ids unique per type, references pointing at earlier records (of the
right type, owned by the same user, referred_by at a REFERRAL_PARTNER), outcomes that
fit the activity type, due_time only with due_date. Exits 1 on the first 20 problems.
--summary prints counts per type, status, stage, activity type and outcome.
"""
import collections
import datetime
import json
import re
import sys

INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE_CHARS = re.compile(r"^[0-9+\-(). x]+$")

STATUSES = {"LEAD", "PROSPECT", "APPLICANT", "CLIENT", "PAST_CLIENT", "REFERRAL_PARTNER"}
STAGES = {"Lead", "Pre-Approval", "Application", "Processing", "Underwriting", "Clear to Close", "Closed Won",
          "Closed Lost"}
LOAN_TYPES = {"Conventional", "FHA", "VA", "USDA", "Jumbo", "Refinance"}
PURPOSES = {"Purchase", "Rate/Term Refinance", "Cash-Out Refinance", "Construction", "Home Equity"}
PRIORITIES = {"low", "medium", "high", "urgent"}
TASK_STATUSES = {"pending", "in_progress", "completed"}
ACTIVITY_TYPES = {"call", "text", "email", "meeting", "video_post", "social_post", "note"}
CALL_OUTCOMES = {"answered", "no_answer", "voicemail"}
ANY_OUTCOMES = {"appointment_set", "application_taken"}
ROLES = {"officer", "manager", "admin"}

FIELDS = {
    "user": ({"external_id", "email", "name"}, {"role", "team", "timezone", "created_at"}),
    "contact": ({"external_id", "owner", "name"},
                {"email", "phone", "timezone", "status", "source", "tags", "referred_by", "notes", "created_at",
                 "updated_at", "last_contacted_at"}),
    "deal": ({"external_id", "owner", "title"},
             {"contact", "value", "loan_type", "purpose", "stage", "stage_changed_at", "expected_close_date",
              "closed_at", "created_at", "updated_at"}),
    "task": ({"external_id", "owner", "title"},
             {"notes", "priority", "status", "due_date", "due_time", "contact", "deal", "completed_at", "created_at",
              "updated_at"}),
    "activity": ({"external_id", "owner", "activity_type", "occurred_at"},
                 {"outcome", "duration_seconds", "contact", "deal", "topic", "tags", "notes"}),
}


class Problem(Exception):
    pass


def text(o, k, limit, required=False):
    v = o.get(k)
    if v is None:
        if required:
            raise Problem(f"{k} is required")
        return None
    if not isinstance(v, str) or not v.strip():
        raise Problem(f"{k} must be a non-empty string")
    if len(v) > limit:
        raise Problem(f"{k} is longer than {limit}")
    if "\n" in v and k not in ("notes",):
        raise Problem(f"{k} must be one line")
    return v


def instant(o, k):
    v = o.get(k)
    if v is None:
        return None
    if not isinstance(v, str) or not INSTANT.match(v):
        raise Problem(f"{k} is not an RFC 3339 instant: {v!r}")
    return datetime.datetime.fromisoformat(v.replace("Z", "+00:00"))


def date(o, k):
    v = o.get(k)
    if v is None:
        return None
    if not isinstance(v, str) or not DATE.match(v):
        raise Problem(f"{k} is not YYYY-MM-DD: {v!r}")
    return datetime.date.fromisoformat(v)


def enum(o, k, allowed):
    v = o.get(k)
    if v is not None and v not in allowed:
        raise Problem(f"{k} must be one of {sorted(allowed)}: {v!r}")
    return v


def main():
    path = sys.argv[1]
    summary = "--summary" in sys.argv
    seen = {t: {} for t in FIELDS}  # external_id -> record info
    emails = set()
    counts = collections.Counter()
    problems = 0
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                o = json.loads(line)
                if not isinstance(o, dict):
                    raise Problem("not an object")
                t = o.get("type")
                if t not in FIELDS:
                    raise Problem(f"unknown type {t!r}")
                required, optional = FIELDS[t]
                for k in required:
                    if k not in o:
                        raise Problem(f"{k} is required")
                for k in o:
                    if k != "type" and k not in required and k not in optional:
                        raise Problem(f"unknown field {k}")
                xid = o["external_id"]
                if not isinstance(xid, str) or not 1 <= len(xid) <= 128:
                    raise Problem("external_id must be a string of 1-128 characters")
                if xid in seen[t]:
                    raise Problem(f"duplicate {t} external_id {xid}")
                counts[t] += 1

                def ref(k, typ, owner=None):
                    v = o.get(k)
                    if v is None:
                        return None
                    if v not in seen[typ]:
                        raise Problem(f"{k} {v!r} is not an earlier {typ}")
                    rec = seen[typ][v]
                    if owner is not None and rec.get("owner") != owner:
                        raise Problem(f"{k} {v!r} belongs to another owner")
                    return rec

                info = {}
                if t == "user":
                    e = text(o, "email", 254, True)
                    if not EMAIL.match(e) or e != e.lower():
                        raise Problem("bad email")
                    if e in emails:
                        raise Problem("duplicate email")
                    emails.add(e)
                    text(o, "name", 120, True)
                    enum(o, "role", ROLES)
                    text(o, "team", 64)
                    text(o, "timezone", 64)
                    info["created_at"] = instant(o, "created_at")
                    counts["role:" + o.get("role", "officer")] += 1
                else:
                    owner = o["owner"]
                    ref("owner", "user")
                    info["owner"] = owner
                if t == "contact":
                    text(o, "name", 120, True)
                    if "email" in o and not EMAIL.match(text(o, "email", 254)):
                        raise Problem("bad email")
                    if "phone" in o:
                        p = text(o, "phone", 40)
                        digits = sum(ch.isdigit() for ch in p)
                        if not PHONE_CHARS.match(p) or not 7 <= digits <= 15:
                            raise Problem(f"bad phone {p!r}")
                    text(o, "timezone", 64)
                    status = enum(o, "status", STATUSES) or "LEAD"
                    info["status"] = status
                    text(o, "source", 64)
                    tags = o.get("tags", [])
                    if not isinstance(tags, list) or len(tags) > 20 or any(
                            not isinstance(x, str) or not x or len(x) > 40 for x in tags):
                        raise Problem("bad tags")
                    if len({x.lower() for x in tags}) != len(tags):
                        raise Problem("duplicate tags")
                    partner = ref("referred_by", "contact", owner)
                    if partner is not None and partner["status"] != "REFERRAL_PARTNER":
                        raise Problem("referred_by is not a REFERRAL_PARTNER")
                    text(o, "notes", 10000)
                    c, u, lc = instant(o, "created_at"), instant(o, "updated_at"), instant(o, "last_contacted_at")
                    if c and u and u < c:
                        raise Problem("updated_at before created_at")
                    if c and lc and lc < c:
                        raise Problem("last_contacted_at before created_at")
                    info["created_at"] = c
                    counts["contact:" + status] += 1
                elif t == "deal":
                    text(o, "title", 200, True)
                    contact = ref("contact", "contact", owner)
                    v = o.get("value")
                    if v is not None and (not isinstance(v, (int, float)) or v < 0):
                        raise Problem("bad value")
                    enum(o, "loan_type", LOAN_TYPES)
                    enum(o, "purpose", PURPOSES)
                    stage = enum(o, "stage", STAGES) or "Lead"
                    c, sc, cl = instant(o, "created_at"), instant(o, "stage_changed_at"), instant(o, "closed_at")
                    instant(o, "updated_at")
                    date(o, "expected_close_date")
                    if stage.startswith("Closed") != (cl is not None):
                        raise Problem("closed_at must be set exactly for closed stages")
                    if c and sc and sc < c:
                        raise Problem("stage_changed_at before created_at")
                    if contact and c and contact["created_at"] and c < contact["created_at"]:
                        raise Problem("deal created before its contact")
                    info["contact"] = o.get("contact")
                    info["created_at"] = c
                    counts["deal:" + stage] += 1
                elif t == "task":
                    text(o, "title", 200, True)
                    text(o, "notes", 10000)
                    enum(o, "priority", PRIORITIES)
                    status = enum(o, "status", TASK_STATUSES) or "pending"
                    date(o, "due_date")
                    if "due_time" in o:
                        if "due_date" not in o:
                            raise Problem("due_time needs due_date")
                        if not isinstance(o["due_time"], str) or not HHMM.match(o["due_time"]):
                            raise Problem("bad due_time")
                    ref("contact", "contact", owner)
                    deal = ref("deal", "deal", owner)
                    if deal and "contact" in o and deal["contact"] and deal["contact"] != o["contact"]:
                        raise Problem("the deal belongs to another contact")
                    c, done = instant(o, "created_at"), instant(o, "completed_at")
                    instant(o, "updated_at")
                    if (status == "completed") != (done is not None):
                        raise Problem("completed_at must be set exactly for completed tasks")
                    if c and done and done < c:
                        raise Problem("completed_at before created_at")
                    counts["task:" + status] += 1
                elif t == "activity":
                    at = o["activity_type"]
                    if at not in ACTIVITY_TYPES:
                        raise Problem(f"bad activity_type {at!r}")
                    occurred = instant(o, "occurred_at")
                    if occurred is None:
                        raise Problem("occurred_at is required")
                    if occurred > datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=5):
                        raise Problem("occurred_at is in the future")
                    out = o.get("outcome")
                    if out is not None and not (out in ANY_OUTCOMES or (at == "call" and out in CALL_OUTCOMES)):
                        raise Problem(f"outcome {out!r} does not fit {at}")
                    d = o.get("duration_seconds")
                    if d is not None and (not isinstance(d, int) or not 0 <= d <= 86400):
                        raise Problem("bad duration_seconds")
                    contact = ref("contact", "contact", owner)
                    deal = ref("deal", "deal", owner)
                    if deal and "contact" in o and deal["contact"] and deal["contact"] != o["contact"]:
                        raise Problem("the deal belongs to another contact")
                    if contact and contact["created_at"] and occurred < contact["created_at"]:
                        raise Problem("activity before its contact was created")
                    text(o, "topic", 100)
                    text(o, "notes", 10000)
                    counts["activity:" + at] += 1
                    counts["outcome:" + (out or "-")] += 1
                    counts["weekday:" + str(occurred.isoweekday())] += 1
                seen[t][xid] = info
            except (Problem, ValueError, KeyError, TypeError) as e:
                problems += 1
                print(f"{path}:{n}: {e}", file=sys.stderr)
                if problems >= 20:
                    break
    if summary or problems:
        for k in sorted(counts):
            print(f"{k}\t{counts[k]}")
    if problems:
        print(f"{problems} problem(s)", file=sys.stderr)
        sys.exit(1)
    print(f"ok: {sum(counts[t] for t in FIELDS)} records", file=sys.stderr)


if __name__ == "__main__":
    main()
