#!/usr/bin/env python3
"""Generate Waypoint's demo data: one CSV per table in seed/, plus seed/MANIFEST and
seed/REFERENCE_DAY.

The university is fictional: Northfield University (northfield.edu). The files describe
the office on its reference day, 2026-11-22 ("today" below); `waypoint seed` moves every
date so that the reference day becomes the day it runs (src/seed.rs explains the moves).
Each row says how it moves in a `_shift` column: `history` rows (people, employers,
partnerships, endorsements, outcomes, and the postings whose applicants had graduated,
with their whole chain) move by whole years, which keeps every cohort and its outcomes
intact; `current` rows (live postings and recent ones of current students, with their
chain; fairs; pending requests; the inbox) move with today in whole weeks; any date after
the reference day moves with today too, so it stays ahead. Run from anywhere:

    python3 scripts/gen_seed.py            # regenerate seed/ and verify it
    python3 scripts/gen_seed.py --verify   # only verify the files already in seed/

The output is deterministic: one random.Random(2026) drives every choice, and every id
is uuid5(NAMESPACE, natural key), so two runs write byte-identical files.

Verification loads the SQLite migration into an in-memory database with foreign keys
on, inserts every file in MANIFEST order the way `waypoint seed` does (empty cell =
NULL or the column default), then checks the rules the schema cannot express
(cohorts, eligibility, capacities, state consistency, knowledge rates) and prints a
summary. It then loads the files again moved to other days (as `waypoint seed` would
on those days) and runs the same checks there, plus the promises of the move: open
postings and an upcoming fair, the graduated cohorts' outcomes inside their windows with
the same knowledge rates, nothing dated after that day that describes the past.

CSV conventions: RFC 4180, UTF-8, one header row of column names; empty cell = NULL or
the default; dates YYYY-MM-DD; timestamps YYYY-MM-DD HH:MM:SS in UTC; booleans
true/false; money in integer cents; tag lists comma-separated without spaces.
"""

import csv
import datetime as dt
import pathlib
import random
import re
import sqlite3
import sys
import unicodedata
import uuid
import zoneinfo
from collections import Counter, defaultdict

ROOT = pathlib.Path(__file__).resolve().parent.parent
SEED_DIR = ROOT / "seed"
MIGRATIONS = ROOT / "migrations" / "sqlite"  # every up.sql, applied in name order

RANDOM_SEED = 2026
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_DNS, "seed.waypoint.northfield.edu")
TODAY = dt.date(2026, 11, 22)  # the reference day, written to seed/REFERENCE_DAY
CAMPUS_ZONE = zoneinfo.ZoneInfo("America/New_York")  # WAYPOINT_TIMEZONE's default
LAUNCH = dt.date(2024, 8, 19)  # the office started using Waypoint
FIRST_POSTING_DAY = dt.date(2024, 9, 3)
CAMPUS_DOMAIN = "northfield.edu"
MIN_HOURLY_FEE_CENTS = 2000

# Tables in foreign-key order. Tables that stay empty in demo data get no file.
MANIFEST = [
    "users", "user_roles", "students", "faculty", "employers", "partnerships",
    "partnership_events", "recruiters", "opportunities", "endorsements",
    "endorsement_requests", "applications", "application_endorsements", "engagements",
    "outcomes", "offers", "fairs", "fair_days", "fair_sessions", "registrations", "notifications",
]

COLUMNS = {
    "users": ["id", "email", "display_name", "issuer", "subject", "disabled", "created_at", "updated_at"],
    "user_roles": ["id", "user_id", "role", "source", "granted_by", "created_at", "updated_at"],
    "students": ["id", "user_id", "student_number", "email", "name", "college", "major", "class_year",
                 "graduation_term", "profile_visibility", "headline", "skills", "portfolio_url",
                 "created_at", "updated_at"],
    "faculty": ["id", "user_id", "department", "title", "created_at", "updated_at"],
    "employers": ["id", "name", "industry", "website", "email_domain", "size", "location", "description",
                  "created_at", "updated_at"],
    "partnerships": ["id", "employer_id", "tier", "status", "starts_on", "ends_on", "owner_id", "notes",
                     "created_at", "updated_at"],
    "partnership_events": ["id", "partnership_id", "from_status", "to_status", "actor_id", "note", "at",
                           "created_at", "updated_at"],
    "recruiters": ["id", "user_id", "employer_id", "title", "created_at", "updated_at"],
    "opportunities": ["id", "employer_id", "title", "description", "category", "skills", "hours", "fee_cents",
                      "currency", "remote", "location", "apply_by", "due_by", "openings", "eligible_colleges",
                      "eligible_majors", "eligible_class_years", "status", "review_note", "created_by",
                      "submitted_at", "opened_at", "closed_at", "created_at", "updated_at"],
    "endorsements": ["id", "faculty_id", "student_id", "skills", "statement", "relationship", "course",
                     "revoked_at", "created_at", "updated_at"],
    "endorsement_requests": ["id", "student_id", "faculty_id", "message", "status", "endorsement_id",
                             "responded_at", "created_at", "updated_at"],
    "applications": ["id", "opportunity_id", "student_id", "statement", "status", "decision_message",
                     "decided_at", "created_at", "updated_at"],
    "application_endorsements": ["id", "application_id", "endorsement_id", "created_at", "updated_at"],
    "engagements": ["id", "application_id", "opportunity_id", "student_id", "employer_id", "status",
                    "started_on", "due_on", "deliverable_url", "deliverable_note", "submitted_on",
                    "completed_on", "rating", "feedback", "student_rating", "student_feedback",
                    "amount_paid_cents", "paid_on", "cancel_requested_by", "cancel_reason",
                    "created_at", "updated_at"],
    "outcomes": ["id", "student_id", "category", "employer_id", "organization", "job_title", "employment_type",
                 "start_on", "annual_salary_cents", "currency", "source", "is_primary", "offer_on",
                 "accepted_on", "known_on", "engagement_id", "recorded_by", "created_at", "updated_at"],
    "offers": ["id", "engagement_id", "employer_id", "student_id", "kind", "job_title", "offer_on", "status",
               "decided_on", "outcome_id", "created_at", "updated_at"],
    "fairs": ["id", "name", "description", "starts_at", "ends_at", "status", "created_by", "created_at",
              "updated_at"],
    "fair_days": ["id", "fair_id", "starts_at", "ends_at", "created_at", "updated_at"],
    "fair_sessions": ["id", "fair_id", "employer_id", "host_id", "kind", "series_id", "title", "description",
                      "starts_at", "ends_at", "capacity", "meeting_url", "status", "sequence",
                      "created_at", "updated_at"],
    "registrations": ["id", "session_id", "student_id", "status", "waitlist_position", "attended_at",
                      "cancelled_at", "sequence", "created_at", "updated_at"],
    "notifications": ["id", "user_id", "kind", "title", "body", "link", "read_at", "created_at", "updated_at"],
}

# ---------------------------------------------------------------------------------------
# Data tables: the university
# ---------------------------------------------------------------------------------------

ARTS = "College of Arts and Sciences"
BUSINESS = "School of Business"
ENGINEERING = "College of Engineering and Computing"
HEALTH = "College of Health and Human Services"
COLLEGES = [ARTS, BUSINESS, ENGINEERING, HEALTH]

# major: college, course prefix, skills (lower-case tags), relative enrolment,
# first-job salary range in $k, first-job titles, headline interest.
MAJORS = {
    "Economics": (ARTS, "ECON", ["excel", "stata", "econometrics", "market-research", "data-analysis"], 12,
                  (52, 72), ["Economic Analyst", "Research Associate", "Pricing Analyst"], "pricing and market research"),
    "Psychology": (ARTS, "PSYC", ["spss", "survey-design", "qualitative-research", "writing"], 18,
                   (40, 55), ["Research Coordinator", "Human Resources Assistant", "Behavioral Health Technician"],
                   "user research and people analytics"),
    "English": (ARTS, "ENGL", ["writing", "editing", "copywriting", "content-strategy"], 8,
                (40, 54), ["Content Writer", "Editorial Assistant", "Communications Coordinator"],
                "editorial and content strategy"),
    "Communication": (ARTS, "COMM", ["social-media", "public-relations", "video-editing", "copywriting"], 12,
                      (42, 56), ["Social Media Coordinator", "Public Relations Associate", "Marketing Coordinator"],
                      "brand storytelling"),
    "Graphic Design": (ARTS, "ARTD", ["figma", "adobe-illustrator", "typography", "branding"], 8,
                       (45, 60), ["Junior Graphic Designer", "Production Designer", "UI Designer"],
                       "brand and interface design"),
    "Biology": (ARTS, "BIOL", ["lab-techniques", "r", "data-analysis", "scientific-writing"], 15,
                (42, 58), ["Research Technician", "Clinical Research Assistant", "Laboratory Analyst"],
                "clinical research"),
    "Political Science": (ARTS, "POLS", ["policy-research", "writing", "survey-design", "public-speaking"], 9,
                          (42, 56), ["Policy Analyst", "Legislative Aide", "Program Associate"], "public policy"),
    "Mathematics": (ARTS, "MATH", ["python", "r", "statistics", "modeling", "excel"], 7,
                    (58, 78), ["Actuarial Analyst", "Data Analyst", "Quantitative Analyst"], "statistics and modeling"),
    "Finance": (BUSINESS, "FIN", ["excel", "financial-modeling", "valuation", "accounting"], 16,
                (58, 80), ["Financial Analyst", "Credit Analyst", "Investment Operations Analyst"],
                "corporate finance"),
    "Marketing": (BUSINESS, "MKTG", ["market-research", "social-media", "seo", "google-analytics", "copywriting"], 15,
                  (46, 62), ["Marketing Coordinator", "Digital Marketing Specialist", "Account Executive"],
                  "growth marketing"),
    "Accounting": (BUSINESS, "ACCT", ["excel", "accounting", "auditing", "quickbooks"], 10,
                   (58, 70), ["Staff Accountant", "Audit Associate", "Tax Associate"], "audit and advisory"),
    "Management": (BUSINESS, "MGMT", ["project-management", "operations", "excel", "communication"], 13,
                   (48, 64), ["Operations Coordinator", "Management Trainee", "Project Coordinator"],
                   "operations and people leadership"),
    "Supply Chain Management": (BUSINESS, "SCM", ["excel", "logistics", "inventory", "process-mapping", "sql"], 8,
                                (55, 70), ["Supply Chain Analyst", "Buyer", "Logistics Coordinator"],
                                "logistics and procurement"),
    "Computer Science": (ENGINEERING, "CS", ["python", "java", "javascript", "sql", "git"], 22,
                         (75, 98), ["Software Engineer", "Software Developer", "QA Engineer"], "backend and web development"),
    "Data Science": (ENGINEERING, "DS", ["python", "sql", "pandas", "machine-learning", "tableau"], 11,
                     (70, 92), ["Data Analyst", "Data Scientist", "Analytics Engineer"], "analytics and machine learning"),
    "Information Systems": (ENGINEERING, "IS", ["sql", "power-bi", "excel", "business-analysis", "python"], 9,
                            (62, 80), ["Business Analyst", "IT Analyst", "Systems Analyst"], "business systems"),
    "Electrical Engineering": (ENGINEERING, "EE", ["matlab", "circuit-design", "python", "embedded-systems"], 8,
                               (70, 88), ["Electrical Engineer", "Controls Engineer", "Test Engineer"],
                               "embedded systems"),
    "Mechanical Engineering": (ENGINEERING, "ME", ["solidworks", "matlab", "cad", "lean"], 11,
                               (68, 84), ["Mechanical Engineer", "Manufacturing Engineer", "Design Engineer"],
                               "product design and manufacturing"),
    "Civil Engineering": (ENGINEERING, "CE", ["autocad", "gis", "structural-analysis", "excel"], 7,
                          (62, 76), ["Civil Engineer", "Staff Engineer", "Project Engineer"], "infrastructure"),
    "Nursing": (HEALTH, "NURS", ["patient-care", "epic", "health-education", "communication"], 18,
                (68, 84), ["Registered Nurse", "Clinical Nurse", "Staff Nurse"], "community health nursing"),
    "Public Health": (HEALTH, "PH", ["epidemiology", "survey-design", "r", "health-education"], 10,
                      (45, 60), ["Public Health Associate", "Health Educator", "Program Coordinator"],
                      "population health"),
    "Health Administration": (HEALTH, "HA", ["healthcare-operations", "excel", "project-management", "compliance"], 8,
                              (48, 62), ["Practice Coordinator", "Patient Access Specialist", "Healthcare Analyst"],
                              "healthcare operations"),
    "Kinesiology": (HEALTH, "KIN", ["exercise-science", "data-collection", "health-education"], 9,
                    (40, 52), ["Exercise Physiologist", "Rehabilitation Aide", "Wellness Coordinator"],
                    "sports performance"),
    "Social Work": (HEALTH, "SW", ["case-management", "interviewing", "community-outreach", "writing"], 7,
                    (40, 50), ["Case Manager", "Family Support Specialist", "Community Outreach Worker"],
                    "community services"),
}
COURSE_NUMBERS = [210, 225, 250, 301, 310, 325, 340, 365, 380, 410, 420, 450, 475]

# Majors that fit each posting category (used for eligibility and for who applies).
CATEGORY_MAJORS = {
    "research": ["Economics", "Marketing", "Political Science", "Psychology", "Public Health", "Mathematics", "Biology"],
    "data": ["Data Science", "Computer Science", "Mathematics", "Economics", "Information Systems", "Finance"],
    "content": ["English", "Communication", "Marketing", "Graphic Design"],
    "sales": ["Marketing", "Management", "Communication", "Finance"],
    "hr": ["Management", "Psychology", "Communication", "Social Work"],
    "software": ["Computer Science", "Data Science", "Information Systems", "Electrical Engineering"],
    "design": ["Graphic Design", "Communication", "Marketing", "Computer Science"],
    "operations": ["Supply Chain Management", "Management", "Mechanical Engineering", "Health Administration",
                   "Accounting", "Civil Engineering"],
}

# NACE cohorts: class of Y graduated July 1 of Y-1 .. June 30 of Y.
# cohort: (students, share with a user account, graduation terms with weights)
COHORTS = {
    2025: (100, 0.25, [("2024-08", 10), ("2024-12", 25), ("2025-05", 65)]),
    2026: (108, 0.30, [("2025-08", 10), ("2025-12", 25), ("2026-05", 65)]),
    2027: (122, 0.45, [("2026-12", 25), ("2027-05", 75)]),
}
GRADUATED_COHORTS = [2025, 2026]
KNOWLEDGE_TARGET = {2025: 0.78, 2026: 0.72}

FIRST_NAMES = [
    "Aaliyah", "Aarav", "Abdullah", "Adaeze", "Aditi", "Adrian", "Aisha", "Alejandro", "Alexis", "Ama",
    "Amara", "Amir", "Ana", "Anastasia", "Andre", "Andrew", "Anika", "Arjun", "Ava", "Ayesha",
    "Benjamin", "Bianca", "Bogdan", "Brandon", "Brianna", "Brooke", "Caleb", "Camila", "Carlos", "Chidi",
    "Chloe", "Cody", "Connor", "Daniel", "Daniela", "Darius", "David", "Deja", "Destiny", "Diego",
    "Dmitri", "Dylan", "Elena", "Elijah", "Emily", "Emma", "Erin", "Esperanza", "Ethan", "Fatima",
    "Felipe", "Gabriel", "Giulia", "Grace", "Haley", "Hana", "Hannah", "Hassan", "Hiroshi", "Ibrahim",
    "Imani", "Ingrid", "Isabella", "Isaiah", "Jacob", "Jada", "Jamal", "Jasmine", "Javier", "Jaylen",
    "Jennifer", "Jia", "Ji-woo", "Jordan", "José", "Joshua", "Julia", "Kai", "Kaitlyn", "Katherine",
    "Keanu", "Kenji", "Kevin", "Khadija", "Kiara", "Kofi", "Kwame", "Lars", "Lauren", "Layla",
    "Leah", "Liam", "Lucas", "Lucía", "Luis", "Madison", "Malik", "Marco", "María", "Mariam",
    "Marcus", "Mateo", "Maya", "Megan", "Mei", "Mia", "Michael", "Miguel", "Min-jun", "Mohammed",
    "Molly", "Nadia", "Naomi", "Natalie", "Nathan", "Nia", "Noah", "Nour", "Olivia", "Oluwaseun",
    "Omar", "Owen", "Pablo", "Patrick", "Priya", "Rachel", "Rafael", "Rahul", "Rania", "Rebecca",
    "Ricardo", "Rohan", "Rosa", "Ryan", "Samantha", "Santiago", "Sara", "Sean", "Sebastian", "Seo-yeon",
    "Siddharth", "Sofia", "Sophia", "Tariq", "Taylor", "Thanh", "Thandiwe", "Tiana", "Trevor", "Tyler",
    "Valentina", "Victoria", "Vikram", "Wei", "William", "Xavier", "Yara", "Yuki", "Yusuf", "Zainab",
    "Zara", "Zoe",
]
LAST_NAMES = [
    "Abara", "Acosta", "Adeyemi", "Agarwal", "Ahmed", "Alvarez", "Anderson", "Andersson", "Asante", "Bailey",
    "Banerjee", "Baptiste", "Bennett", "Boateng", "Brooks", "Campbell", "Castillo", "Chang", "Chaudhry", "Chen",
    "Cho", "Coleman", "Cruz", "Das", "Davis", "Delgado", "Diaz", "Dubois", "Edwards", "Eze",
    "Farouk", "Fernandez", "Fischer", "Flores", "Foster", "Garcia", "Goldberg", "Gomez", "Gonzalez", "Gupta",
    "Haddad", "Hall", "Harris", "Haugen", "Hernández", "Hoang", "Huang", "Hughes", "Ibrahim", "Iyer",
    "Jackson", "Jensen", "Johnson", "Kang", "Kaur", "Khan", "Kim", "Kowalczyk", "Kowalski", "Kumar",
    "Lee", "Lewis", "Li", "Lin", "Lindqvist", "Lopez", "Mahmoud", "Martin", "Martinez", "Mendoza",
    "Mensah", "Miller", "Mitchell", "Moreno", "Moretti", "Morris", "Murphy", "Mwangi", "Nakamura", "Nasser",
    "Nguyen", "Novak", "Núñez", "Obi", "O'Brien", "Okafor", "Okonkwo", "Oliveira", "Ortiz", "Owusu",
    "Park", "Patel", "Peña", "Perez", "Petrov", "Phillips", "Price", "Quinn", "Ramirez", "Ramos",
    "Reddy", "Reyes", "Richardson", "Rivera", "Roberts", "Robinson", "Rodriguez", "Rossi", "Russo", "Saleh",
    "Sanchez", "Santos", "Schmidt", "Shah", "Singh", "Sullivan", "Suzuki", "Tanaka", "Taylor", "Thomas",
    "Thompson", "Torres", "Tran", "Turner", "Vargas", "Vasquez", "Walker", "Wang", "Washington", "Watanabe",
    "White", "Williams", "Wilson", "Wong", "Wu", "Yamamoto", "Yang", "Yilmaz", "Young", "Zhang", "Zhou",
]

# Career-office staff (fixed, so the demo has recognisable people to sign in as).
COUNSELORS = ["Renee Okafor", "Marcus Delgado", "Priya Raman", "Hannah Lindqvist", "Tomás Rivera"]
ADMINS = ["Grace Whitfield", "Samuel Adeyemi"]

FACULTY_COUNT = 40
FACULTY_TITLES = [("Assistant Professor", 30), ("Associate Professor", 25), ("Professor", 18),
                  ("Lecturer", 15), ("Senior Lecturer", 6), ("Academic Advisor", 8)]
RECRUITER_TITLES = ["University Recruiting Lead", "Talent Acquisition Partner", "Campus Programs Manager",
                    "HR Generalist", "Talent Acquisition Coordinator", "Recruiting Manager",
                    "People Operations Partner", "Early Careers Recruiter"]
STATE_NAMES = {"MA": "Massachusetts", "IL": "Illinois", "TX": "Texas", "OH": "Ohio", "NY": "New York",
               "WA": "Washington", "MN": "Minnesota", "CO": "Colorado", "KS": "Kansas", "VA": "Virginia",
               "PA": "Pennsylvania", "GA": "Georgia", "CT": "Connecticut", "NC": "North Carolina",
               "OR": "Oregon", "TN": "Tennessee", "RI": "Rhode Island", "DC": "the District of Columbia",
               "UT": "Utah", "NH": "New Hampshire", "WI": "Wisconsin", "MD": "Maryland"}

# ---------------------------------------------------------------------------------------
# Data tables: employers and partnerships
# ---------------------------------------------------------------------------------------
# Each employer's partnerships are listed oldest first; the last one is the current one.
# A partnership's history is its status changes: (status, date, note). starts_on is the
# first day it became active, ends_on the day it ended (or the agreed end of term).


def partnership(tier, history, term_end=None, notes=""):
    return {"tier": tier, "history": history, "term_end": term_end, "notes": notes}


EMPLOYERS = [
    dict(name="Brightline Analytics", industry="Software", sector="software", domain="brightlineanalytics.com",
         size="201-1000", location="Boston, MA",
         description="Brightline builds self-serve analytics for mid-size retailers. Its dashboards connect "
                     "point-of-sale, e-commerce and inventory data so store managers can act on the numbers "
                     "without waiting for an analyst.",
         product="B2B analytics product", audience="mid-size retailers",
         categories=["data", "research", "software", "sales"],
         partnerships=[partnership("strategic", [("prospect", "2023-12-04", "Introduced by the Data Science advisory board."),
                                                 ("active", "2024-02-01", "Signed a two-year strategic agreement.")],
                                   term_end="2027-01-31",
                                   notes="Anchor partner for data micro-internships; renewal talks start in December.")]),
    dict(name="Harbor & Finch Consulting", industry="Management Consulting", sector="consulting",
         domain="harborfinch.com", size="51-200", location="Chicago, IL",
         description="A boutique strategy firm advising regional banks, hospital systems and family-owned "
                     "manufacturers on growth and operations. Harbor & Finch staffs small teams and brings "
                     "analysts onto live client work early.",
         product="client benchmarking practice", audience="regional hospital systems",
         categories=["research", "data", "operations"],
         partnerships=[partnership("gold", [("prospect", "2023-07-18", "Met at the Midwest consulting forum."),
                                            ("active", "2023-09-01", "Gold agreement signed.")],
                                   notes="Hires 2-3 analysts a year from Northfield; prefers Economics and Finance.")]),
    dict(name="Ledgerwise", industry="Financial Technology", sector="fintech", domain="ledgerwise.io",
         size="51-200", location="Austin, TX",
         description="Ledgerwise makes bookkeeping and cash-flow software for independent contractors and "
                     "small businesses. Its app reconciles bank feeds automatically and prepares quarterly "
                     "tax estimates.",
         product="bookkeeping app for small businesses", audience="independent contractors and small-business owners",
         categories=["software", "content", "data", "sales"],
         partnerships=[partnership("silver", [("prospect", "2022-07-11", "Alumni founder reached out."),
                                              ("active", "2022-09-01", "Silver agreement for one academic year."),
                                              ("ended", "2024-01-31", "Lapsed during their funding round.")]),
                       partnership("strategic", [("prospect", "2024-05-20", "Re-engaged after Series B."),
                                                 ("active", "2024-07-01", "Upgraded to strategic.")],
                                   term_end="2027-06-30",
                                   notes="Funds a spring showcase prize; strong conversion to full-time offers.")]),
    dict(name="Cedar Valley Health Partners", industry="Healthcare", sector="healthcare",
         domain="cedarvalleyhealth.org", size="1001-5000", location="Columbus, OH",
         description="A regional network of 38 primary-care and urgent-care clinics across central Ohio. "
                     "Cedar Valley's population-health team uses data to close gaps in preventive care.",
         product="patient outreach program", audience="primary-care patients",
         categories=["data", "research", "operations", "hr"],
         partnerships=[partnership("gold", [("prospect", "2024-01-22", "Nursing clinical-placement contact."),
                                            ("active", "2024-03-15", "Gold agreement signed.")],
                                   notes="Population-health and HR teams both post; HIPAA training required.")]),
    dict(name="Common Plate Food Alliance", industry="Nonprofit", sector="nonprofit", domain="commonplate.org",
         size="11-50", location="Cleveland, OH",
         description="Common Plate connects 120 food pantries and meal programs in northeast Ohio with donated "
                     "and purchased food. The alliance runs on a small staff and a large volunteer base.",
         product="partner pantry network", audience="community food pantries",
         categories=["research", "content", "operations", "data"],
         partnerships=[partnership("silver", [("prospect", "2024-03-11", "Service-learning office referral."),
                                              ("active", "2024-05-01", "Silver agreement; fees co-funded by the alumni fund.")],
                                   notes="Fees co-funded by the Northfield alumni community fund.")]),
    dict(name="Riverstone Media Collective", industry="Media", sector="media", domain="riverstonemedia.com",
         size="51-200", location="New York, NY",
         description="An independent digital publisher of three newsletters and two podcasts on personal "
                     "finance, food and city life. Riverstone's audience team runs growth experiments every week.",
         product="newsletter network", audience="newsletter readers",
         categories=["content", "design", "data", "sales"],
         partnerships=[partnership("silver", [("prospect", "2024-06-24", "Communication department introduction."),
                                              ("active", "2024-08-15", "Silver agreement signed.")])]),
    dict(name="Kestrel Software", industry="Software", sector="software", domain="kestrel.dev",
         size="201-1000", location="Seattle, WA",
         description="Kestrel makes deployment and observability tooling for engineering teams that run "
                     "services on Kubernetes. The company is remote-first, with staff in nine time zones.",
         product="deployment monitoring platform", audience="platform engineering teams",
         categories=["software", "content", "data", "design"],
         partnerships=[partnership("standard", [("prospect", "2022-11-30", "Inbound from their DevRel team."),
                                                ("active", "2023-01-15", "Standard agreement."),
                                                ("ended", "2023-12-31", "Not renewed after a hiring freeze.")]),
                       partnership("gold", [("prospect", "2024-04-15", "Hiring again; asked for a bigger programme."),
                                            ("active", "2024-06-01", "Gold agreement signed.")],
                                   notes="Engineering managers review applicants directly; fast turnaround.")]),
    dict(name="Maple & Oak Home Goods", industry="Retail", sector="retail", domain="mapleandoak.com",
         size="201-1000", location="Minneapolis, MN",
         description="A home-furnishings retailer with 22 stores in the upper Midwest and a fast-growing "
                     "online shop. Maple & Oak sources most of its furniture from North American workshops.",
         product="online home-goods store", audience="first-time homeowners",
         categories=["design", "content", "operations", "research"],
         partnerships=[partnership("standard", [("prospect", "2024-07-08", "Marketing alumna contact."),
                                                ("active", "2024-09-01", "Standard agreement.")])]),
    dict(name="Sunspan Energy", industry="Energy", sector="energy", domain="sunspanenergy.com",
         size="201-1000", location="Denver, CO",
         description="Sunspan develops and operates community solar farms in Colorado, New Mexico and Minnesota "
                     "and enrolls households and small businesses as subscribers.",
         product="community solar subscription", audience="residential solar subscribers",
         categories=["research", "data", "sales", "operations"],
         partnerships=[partnership("gold", [("prospect", "2024-02-05", "Met at the clean-energy careers panel."),
                                            ("active", "2024-04-01", "Gold agreement signed.")],
                                   term_end="2027-03-31")]),
    dict(name="Tallgrass Precision Manufacturing", industry="Manufacturing", sector="manufacturing",
         domain="tallgrassprecision.com", size="201-1000", location="Wichita, KS",
         description="A contract manufacturer of machined aluminum and titanium components for aerospace and "
                     "medical-device customers. Tallgrass runs three shifts across two plants.",
         product="precision machining services", audience="aerospace and medical-device buyers",
         categories=["operations", "data", "sales", "hr"],
         partnerships=[partnership("silver", [("prospect", "2023-11-13", "Mechanical Engineering co-op employer."),
                                              ("active", "2024-01-10", "Silver agreement signed.")],
                                   notes="On-site projects possible at the Wichita plant; mileage reimbursed.")]),
    dict(name="Meridian Federal Solutions", industry="Government Contracting", sector="government",
         domain="meridianfederal.com", size="1001-5000", location="Arlington, VA",
         description="Meridian provides IT modernization, data management and program support to civilian "
                     "federal agencies. Most of its work is delivered under multi-year task orders.",
         product="federal data modernization practice", audience="civilian federal agencies",
         categories=["research", "data", "software", "hr"],
         partnerships=[partnership("silver", [("prospect", "2024-06-03", "Approached us at the spring fair."),
                                              ("active", "2024-08-01", "Silver agreement signed.")],
                                   notes="US citizenship needed for some full-time roles, not for micro-internships.")]),
    dict(name="Quillpath Learning", industry="Education Technology", sector="edtech", domain="quillpath.com",
         size="11-50", location="Pittsburgh, PA",
         description="Quillpath makes a writing-feedback tool used by middle- and high-school English teachers "
                     "in 400 districts. The team is small and ships every week.",
         product="writing-feedback tool for teachers", audience="K-12 English teachers",
         categories=["content", "research", "sales", "design"],
         partnerships=[partnership("standard", [("prospect", "2022-12-05", "School of Education referral."),
                                                ("active", "2023-02-01", "Standard agreement."),
                                                ("ended", "2024-05-31", "Paused programmes during a reorganisation.")]),
                       partnership("standard", [("prospect", "2024-11-18", "New head of content wants student writers."),
                                                ("active", "2025-01-15", "Standard agreement renewed.")])]),
    dict(name="Bluefin Logistics", industry="Logistics", sector="logistics", domain="bluefinlogistics.com",
         size="1001-5000", location="Savannah, GA",
         description="A third-party logistics provider running cross-dock and warehousing operations near the "
                     "Port of Savannah. Bluefin handles import freight for retailers across the Southeast.",
         product="port-to-store freight service", audience="Southeast retailers that import freight",
         categories=["operations", "data", "sales", "software"],
         partnerships=[partnership("silver", [("prospect", "2023-12-11", "Supply Chain advisory board."),
                                              ("active", "2024-02-20", "Silver agreement signed."),
                                              ("paused", "2025-06-02", "Peak-season freeze on new projects."),
                                              ("active", "2025-09-02", "Resumed after peak season.")])]),
    dict(name="Lumen Ridge Biotherapeutics", industry="Biotechnology", sector="biotech", domain="lumenridgebio.com",
         size="201-1000", location="Cambridge, MA",
         description="A clinical-stage biotech developing antibody therapies for autoimmune disease. Lumen Ridge's "
                     "clinical operations and commercial-planning teams regularly take on student analysts.",
         product="lead autoimmune antibody program", audience="rheumatology clinics",
         categories=["research", "data", "content", "hr"],
         partnerships=[partnership("strategic", [("prospect", "2024-01-08", "Biology faculty research collaborator."),
                                                 ("active", "2024-03-01", "Strategic agreement signed.")],
                                   term_end="2027-02-28",
                                   notes="Sponsors the Biology research symposium; interested in Public Health students too.")]),
    dict(name="Copperleaf Insurance Mutual", industry="Insurance", sector="insurance", domain="copperleafmutual.com",
         size="1001-5000", location="Hartford, CT",
         description="A policyholder-owned insurer writing home, auto and small-business coverage in New England "
                     "and the mid-Atlantic.",
         product="small-business insurance line", audience="small-business policyholders",
         categories=["data", "research", "hr", "operations"],
         partnerships=[partnership("gold", [("prospect", "2024-03-18", "Actuarial club sponsor."),
                                            ("active", "2024-05-15", "Gold agreement signed.")])]),
    dict(name="Hearthstone Property Group", industry="Real Estate", sector="realestate", domain="hearthstonepg.com",
         size="51-200", location="Charlotte, NC",
         description="Hearthstone owns and manages 4,200 apartment units across the Carolinas, mostly in "
                     "renovated mid-century buildings.",
         product="apartment leasing portfolio", audience="prospective renters",
         categories=["research", "operations", "content", "data"],
         partnerships=[partnership("silver", [("prospect", "2023-01-16", "Finance alumnus, asset management."),
                                              ("active", "2023-03-01", "Silver agreement."),
                                              ("ended", "2024-08-31", "Term ended; contact moved on.")]),
                       partnership("standard", [("prospect", "2025-01-27", "New leasing director reached out."),
                                                ("active", "2025-03-01", "Standard agreement.")])]),
    dict(name="Fieldnote Creative", industry="Marketing Agency", sector="marketing", domain="fieldnotecreative.com",
         size="11-50", location="Portland, OR",
         description="A brand and content studio for outdoor, food and consumer brands. Fieldnote's projects run "
                     "in two-week sprints with small, senior teams.",
         product="brand content studio", audience="consumer brands",
         categories=["design", "content", "sales", "research"],
         partnerships=[partnership("standard", [("prospect", "2024-08-26", "Graphic Design portfolio review guest."),
                                                ("active", "2024-10-01", "Standard agreement.")])]),
    dict(name="Ironbridge Civil Engineering", industry="Engineering Services", sector="engineering",
         domain="ironbridgecivil.com", size="201-1000", location="Philadelphia, PA",
         description="Ironbridge designs bridges, stormwater systems and transit facilities for cities and state "
                     "transportation departments in the mid-Atlantic.",
         product="municipal infrastructure practice", audience="city public-works departments",
         categories=["research", "data", "operations", "design"],
         partnerships=[partnership("silver", [("prospect", "2024-02-26", "Civil Engineering industry night."),
                                              ("active", "2024-04-15", "Silver agreement signed.")])]),
    dict(name="Pinecrest Senior Living", industry="Senior Care", sector="seniorcare", domain="pinecrestliving.com",
         size="1001-5000", location="Raleigh, NC",
         description="Pinecrest operates 19 independent- and assisted-living communities in North Carolina and "
                     "Virginia.",
         product="assisted-living communities", audience="families researching senior care",
         categories=["hr", "content", "operations", "research"],
         partnerships=[partnership("standard", [("prospect", "2025-06-09", "Health Administration practicum host."),
                                                ("active", "2025-08-01", "Standard agreement.")])]),
    dict(name="Wrenly Health", industry="Digital Health", sector="healthcare", domain="wrenlyhealth.com",
         size="51-200", location="Nashville, TN",
         description="Wrenly makes a scheduling and reminder app that cuts missed appointments for "
                     "physical-therapy and behavioral-health practices.",
         product="appointment reminder app", audience="outpatient therapy practices",
         categories=["software", "sales", "design", "data"],
         partnerships=[partnership("standard", [("prospect", "2025-12-01", "Founder is a Kinesiology alumna."),
                                                ("active", "2026-02-01", "Standard agreement.")])]),
    dict(name="Orchard Street Bakery Co.", industry="Food & Beverage", sector="food",
         domain="orchardstreetbakery.com", size="51-200", location="Providence, RI",
         description="A wholesale bakery supplying bread and pastry to 300 cafés and grocers in southern "
                     "New England.",
         product="wholesale bakery line", audience="independent cafés and grocers",
         categories=["operations", "sales", "content"],
         partnerships=[partnership("standard", [("prospect", "2024-07-22", "Supply Chain class site visit."),
                                                ("active", "2024-09-16", "Standard agreement."),
                                                ("paused", "2026-04-01", "Seasonal staffing freeze; revisit after the holidays.")])]),
    dict(name="Atlas Ridge Capital", industry="Investment Management", sector="finance", domain="atlasridgecap.com",
         size="51-200", location="New York, NY",
         description="An employee-owned investment manager running fixed-income and balanced portfolios for "
                     "foundations and pension plans.",
         product="fixed-income research desk", audience="foundation and endowment clients",
         categories=["research", "data"],
         partnerships=[partnership("silver", [("prospect", "2022-06-13", "Finance club speaker."),
                                              ("active", "2022-08-01", "Silver agreement."),
                                              ("ended", "2024-03-31", "Replaced by a gold agreement.")]),
                       partnership("gold", [("prospect", "2024-04-29", "Wants a larger analyst pipeline."),
                                            ("active", "2024-06-01", "Gold agreement signed."),
                                            ("paused", "2026-07-15", "Campus contact left the firm; new lead to be named.")])]),
    dict(name="Civic Pulse Research", industry="Nonprofit Research", sector="nonprofit", domain="civicpulse.org",
         size="11-50", location="Washington, DC",
         description="A nonpartisan research center that runs public-opinion surveys on housing, transit and "
                     "local government.",
         product="public-opinion survey program", audience="local policymakers",
         categories=["research", "data", "content"],
         partnerships=[partnership("silver", [("prospect", "2024-07-01", "Political Science faculty contact."),
                                              ("active", "2024-09-03", "Silver agreement."),
                                              ("paused", "2026-03-02", "Grant-funded project ended; waiting on the next funding cycle.")])]),
    dict(name="Pixelhaven Games", industry="Media & Entertainment", sector="media", domain="pixelhaven.gg",
         size="11-50", location="Austin, TX",
         description="An independent studio making cozy puzzle games for PC and consoles.",
         product="puzzle game titles", audience="players of cozy PC games",
         categories=["design", "content"],
         partnerships=[partnership("standard", [("prospect", "2024-07-15", "Game design club contact."),
                                                ("active", "2024-08-20", "Standard agreement."),
                                                ("ended", "2025-09-30", "Studio downsized and stopped campus programmes.")])]),
    dict(name="Crescent Retail Holdings", industry="Retail", sector="retail", domain="crescentretail.com",
         size="5001+", location="Dallas, TX",
         description="Operator of 140 discount apparel and home stores across Texas and the Southwest.",
         product="discount apparel stores", audience="value-focused shoppers",
         categories=["operations", "data", "research"],
         partnerships=[partnership("silver", [("prospect", "2024-01-15", "Retail management programme."),
                                              ("active", "2024-03-01", "Silver agreement."),
                                              ("paused", "2025-10-01", "Restructuring; projects on hold."),
                                              ("ended", "2026-01-31", "Did not renew after restructuring.")])]),
    dict(name="Summit Peak Outfitters", industry="Retail", sector="retail", domain="summitpeakoutfitters.com",
         size="201-1000", location="Salt Lake City, UT",
         description="A specialty outdoor-gear retailer with 12 stores and a rental programme for skis and "
                     "camping equipment.",
         product="gear rental program", audience="weekend outdoor enthusiasts",
         categories=["content", "sales", "research"],
         partnerships=[partnership("standard", [("prospect", "2024-08-05", "Outdoor club sponsor."),
                                                ("active", "2024-09-05", "Standard agreement."),
                                                ("ended", "2025-06-30", "One-year pilot ended as planned.")])]),
    dict(name="Granite State Robotics", industry="Manufacturing", sector="manufacturing",
         domain="granitestaterobotics.com", size="11-50", location="Manchester, NH",
         description="A startup building collaborative robot arms for small machine shops.",
         product="collaborative robot arm", audience="small machine shops", categories=["software", "sales"],
         partnerships=[partnership("standard", [("prospect", "2026-09-14", "Met at the engineering expo; wants a spring pilot.")],
                                   notes="Send the micro-internship pilot deck and fee guidance.")]),
    dict(name="Blue Heron Conservancy", industry="Nonprofit", sector="nonprofit", domain=None,
         website="https://blueheronconservancy.org", size="1-10", location="Madison, WI",
         description="A land trust protecting wetlands and shoreline along Lake Mendota and the Yahara River.",
         product="wetland restoration program", audience="landowners", categories=["research", "content"],
         partnerships=[partnership("standard", [("prospect", "2026-10-05", "Volunteer fair contact; staff use personal email.")],
                                   notes="Needs an organisational email domain before recruiters can be invited.")]),
    dict(name="Tidewater Community Bank", industry="Banking", sector="banking", domain="tidewatercb.com",
         size="201-1000", location="Norfolk, VA",
         description="A community bank with 24 branches in coastal Virginia, focused on small-business lending.",
         product="small-business lending", audience="small-business borrowers", categories=["research", "data"],
         partnerships=[partnership("silver", [("prospect", "2026-06-22", "Finance department referral.")],
                                   notes="Legal review of the partnership agreement in progress.")]),
    dict(name="Lantern Legal Aid Society", industry="Legal Services", sector="nonprofit", domain=None,
         website="https://lanternlegalaid.org", size="11-50", location="Baltimore, MD",
         description="A nonprofit law office providing free civil legal help to tenants and low-wage workers in "
                     "Baltimore.",
         product="tenant legal clinic", audience="tenants", categories=["research", "hr"],
         partnerships=[partnership("standard", [("prospect", "2026-11-02", "Pre-law society introduction.")])]),
]

# How many postings an employer with an active partnership makes, by tier.
POSTINGS_BY_TIER = {"strategic": 7, "gold": 5, "silver": 4, "standard": 3}
RECRUITERS_BY_TIER = {"strategic": 3, "gold": 2, "silver": 2, "standard": 1}
# Current-status mix for active employers beyond one open posting each.
EXTRA_OPEN = ["Brightline Analytics", "Ledgerwise"]
PENDING_REVIEW = ["Harbor & Finch Consulting", "Cedar Valley Health Partners", "Kestrel Software",
                  "Sunspan Energy", "Lumen Ridge Biotherapeutics", "Copperleaf Insurance Mutual"]
DRAFTS = ["Brightline Analytics", "Riverstone Media Collective", "Meridian Federal Solutions",
          "Quillpath Learning", "Fieldnote Creative", "Wrenly Health"]
RETURNED_DRAFTS = {
    "Riverstone Media Collective": "Please make the deliverable and the deadline explicit in the description; as "
                                   "written it reads like two separate assignments. Split it or narrow the scope.",
    "Fieldnote Creative": "Students cannot be asked to produce spec work for a client pitch. Please reframe "
                          "this as an internal project or remove the client deliverable.",
}
CANCELLED = ["Common Plate Food Alliance", "Tallgrass Precision Manufacturing", "Hearthstone Property Group",
             "Lumen Ridge Biotherapeutics", "Orchard Street Bakery Co.", "Crescent Retail Holdings"]
POSTINGS_PAUSED = 3
POSTINGS_ENDED = 2

# ---------------------------------------------------------------------------------------
# Data tables: micro-internship briefs
# ---------------------------------------------------------------------------------------
# Placeholders: {org}, {product}, {audience}, {region}. "sectors" limits a brief to
# employers of those sectors; "onsite" briefs may be posted as on-site work.


def brief(category, title, hours, skills, text, sectors=None, onsite=False):
    return {"category": category, "title": title, "hours": hours, "skills": skills, "text": text,
            "sectors": sectors, "onsite": onsite}


BRIEFS = [
    # research
    brief("research", "Competitor pricing scan for our {product}", (8, 15),
          ["market-research", "excel", "competitive-analysis"],
          "We are revisiting list prices for our {product} ahead of next year's planning cycle. Identify 12 to 15 "
          "competitors that sell to {audience} and record each one's published plans, price points, discounts and "
          "what every tier includes. Use public sources only (websites, review sites, press releases) and link the "
          "source for every figure. Deliver a spreadsheet with one row per competitor and a one-page summary of "
          "where we sit in the market. Our product lead will walk you through the current price sheet on a "
          "30-minute kickoff call."),
    brief("research", "Market sizing: how many {audience} are there in {region}?", (12, 20),
          ["market-research", "excel", "data-analysis"],
          "Before we add sales capacity in {region}, we need a defensible estimate of how many {audience} could "
          "buy our {product}. Build a bottom-up estimate from public data such as Census County Business Patterns, "
          "trade-association directories and state licensing lists, and write down every assumption. Deliver a "
          "short workbook with the model and a two-page memo giving a low, base and high figure. Please share an "
          "outline of your approach at the halfway point so we can check it before you finish."),
    brief("research", "Synthesize 12 customer interviews about our {product}", (10, 16),
          ["qualitative-research", "writing", "interviewing"],
          "Our team recorded twelve 30-minute interviews with {audience} last quarter and the transcripts have not "
          "been analyzed yet. Read them, tag recurring problems, goals and requests, and group the tags into themes "
          "with supporting quotes. The deliverable is a deck of 8 to 12 slides plus the tagged spreadsheet behind "
          "it. Transcripts are anonymized and shared through a read-only folder on day one."),
    brief("research", "Benchmark the onboarding of five competing products", (5, 10),
          ["ux-research", "market-research", "writing"],
          "Sign up for the free trials or demo accounts of five competitors we name and document their first-week "
          "onboarding step by step, with screenshots. Note where you got stuck, which emails arrived and how long "
          "it took to reach a first useful result. Deliver a comparison table and a short write-up of three ideas "
          "we should borrow for our {product}. No industry background is needed; we provide a test email address "
          "and the list of competitors."),
    brief("research", "Grant opportunity scan for our work with {audience}", (10, 15),
          ["grant-research", "writing", "excel"],
          "We are looking for new foundation and government funding for our work with {audience}. Search federal, "
          "state and private-foundation databases for open opportunities with deadlines in the next nine months "
          "that match our program areas. For each one, record the funder, award range, eligibility, deadline and a "
          "fit rating, with a two-sentence rationale. Deliver a spreadsheet of 20 to 30 opportunities sorted by "
          "fit. Our development director will review your first five with you at the end of week one.",
          sectors=["nonprofit", "edtech", "healthcare", "energy", "seniorcare"]),
    brief("research", "Plain-English brief on new rules affecting {audience}", (12, 20),
          ["policy-research", "writing", "legal-research"],
          "Several federal and state rules proposed or finalized in the past year affect how we serve {audience}. "
          "Find them (Federal Register, state agency sites, trade press), summarize what each requires and by "
          "when, and flag open questions for our compliance team. Deliver a 4 to 6 page brief in plain English "
          "with citations, plus a one-page table of deadlines. No legal training is needed, but careful reading "
          "and precise writing matter more than speed.",
          sectors=["fintech", "finance", "insurance", "healthcare", "energy", "government", "biotech", "banking"]),
    brief("research", "Design and pilot a satisfaction survey for {audience}", (10, 15),
          ["survey-design", "qualtrics", "data-analysis"],
          "We have never asked {audience} systematically what they think of our {product}. Draft a 12 to 15 "
          "question survey in Qualtrics, pilot it with five people we introduce you to, and revise it based on what "
          "you learn. Deliver the final survey, a short note on the changes the pilot prompted, and a plan for "
          "sending it to our full list. Our customer-success manager will be your point of contact."),
    brief("research", "Trend scan: what {audience} will need over the next three years", (8, 14),
          ["market-research", "writing", "trend-analysis"],
          "Our leadership team is starting its three-year plan and wants an outside view of where {audience} are "
          "heading. Review industry reports, conference talks, job postings and forums to identify six to eight "
          "trends that could change demand for our {product}. For each trend, describe the evidence, who is "
          "affected and what it could mean for us. Deliver a memo of no more than five pages with sources; expect "
          "one check-in call halfway through."),
    # data
    brief("data", "Clean and deduplicate our CRM contact export", (8, 12),
          ["excel", "data-cleaning", "attention-to-detail"],
          "Our CRM holds about 9,000 contacts for {audience} collected over six years, and roughly a fifth are "
          "duplicates or missing key fields. Using the export we provide, merge duplicates, standardize "
          "organization names, titles and states, and flag records that cannot be repaired. Deliver the cleaned "
          "file, a log of the rules you applied, and a short note on how we can keep the data clean. Excel or "
          "Google Sheets is fine; Python or R is welcome if you prefer."),
    brief("data", "Build a monthly KPI dashboard for our {product}", (15, 25),
          ["sql", "power-bi", "data-visualization"],
          "We track the health of our {product} in four separate spreadsheets, and nobody trusts the numbers. "
          "Build one dashboard in Power BI or Looker Studio on a read-only copy of our data, covering volume, "
          "activation, retention and revenue by month. Deliverables are the dashboard, a data dictionary and a "
          "10-minute recorded walkthrough. Our operations analyst will answer questions in a shared Slack channel "
          "within one business day."),
    brief("data", "Find the early signals of customer churn", (20, 30),
          ["python", "sql", "statistics"],
          "We lose about 14 percent of accounts a year and want to know which early signals predict it. Using 18 "
          "months of anonymized account and usage data, explore which behaviours and attributes differ between "
          "retained and churned accounts, and fit a simple, explainable model. Deliver a notebook with your code, "
          "a short slide summary for non-technical managers, and the three signals we should watch. Please keep "
          "the analysis reproducible: we will rerun your notebook ourselves."),
    brief("data", "Analyze our annual survey of {audience}", (10, 15),
          ["excel", "data-analysis", "data-visualization"],
          "Our annual survey of {audience} closed with about 1,100 responses, including two open-text questions. "
          "Clean the data, produce cross-tabulations for the questions we flag, and code the open-text answers "
          "into themes. Deliver a slide deck with charts and a one-page summary of the most important findings. "
          "We will share last year's report so you can keep the format consistent."),
    brief("data", "Geocode and map our service locations", (8, 12),
          ["gis", "excel", "data-visualization"],
          "We serve {audience} from locations across the region, but our address list has never been mapped. "
          "Geocode the roughly 600 addresses we provide, fix the ones that fail, and build an interactive map in "
          "ArcGIS Online or QGIS showing coverage and drive-time gaps. Deliver the cleaned address file, the map, "
          "and a half-page note on the three largest gaps. A short screen-share at kickoff will cover the data.",
          sectors=["logistics", "healthcare", "nonprofit", "realestate", "energy", "retail", "seniorcare", "food"]),
    brief("data", "Digitize supplier certificates into our vendor database", (10, 15),
          ["data-entry", "attention-to-detail", "excel"],
          "About 350 supplier quality and insurance certificates exist only as scanned PDFs. Enter each "
          "certificate's supplier, type, issuing body and expiry date into our vendor database template, and flag "
          "any that are expired or unreadable. Accuracy matters more than speed: we will spot-check 10 percent of "
          "entries. Deliver the completed template and a list of suppliers we need to chase; training takes about "
          "30 minutes on a video call.",
          sectors=["manufacturing", "logistics", "government", "retail", "food", "biotech"], onsite=True),
    brief("data", "Build a 12-month demand forecast for our {product}", (20, 30),
          ["excel", "forecasting", "python"],
          "We plan staffing and purchasing for our {product} from gut feel and last year's numbers. Using four "
          "years of weekly volume data, build a forecast for the next 12 months that accounts for seasonality and "
          "holidays, and compare at least two methods. Deliver the model (Excel or Python), a chart pack and a "
          "one-page explanation of its accuracy on held-out data. Our finance lead will meet you twice: at kickoff "
          "and to review a draft."),
    # content
    brief("content", "Write four practical blog posts for {audience}", (12, 20),
          ["writing", "seo", "content-strategy"],
          "We publish practical articles for {audience} and need four new posts of 900 to 1,200 words each. We "
          "will give you the topics, target keywords and two subject-matter experts to interview briefly. Each "
          "post needs a clear headline, subheads, a short summary and suggested internal links. Deliver drafts in "
          "Google Docs; we allow one round of edits per post."),
    brief("content", "Social-media content calendar for next quarter", (10, 15),
          ["social-media", "copywriting", "canva"],
          "Plan 12 weeks of LinkedIn and Instagram posts that promote our {product} to {audience}. Deliver a "
          "calendar of 36 posts with copy, visuals built in Canva from our brand kit, hashtags and the goal of "
          "each post. Include a short rationale for the mix of educational, promotional and community content. "
          "Our marketing manager reviews the first two weeks before you finish the rest."),
    brief("content", "Customer case study: interview and write-up", (8, 12),
          ["interviewing", "writing", "editing"],
          "One of our long-time customers has agreed to be featured in a case study about our {product}. Prepare "
          "interview questions, run a 45-minute video interview with their team lead, and write a 700 to 900 word "
          "case study with a pull quote and a results section. Deliver the draft, your interview notes and two "
          "short social posts promoting the piece. We will introduce you to the customer and sit in on the "
          "interview."),
    brief("content", "Script and storyboard a 90-second explainer video", (8, 12),
          ["scriptwriting", "storyboarding", "video-editing"],
          "We need a short explainer video that tells {audience} what our {product} does and why it matters. "
          "Write a 90-second script (about 220 words) and a frame-by-frame storyboard an animator can produce "
          "from, with two alternative opening hooks. Deliverables are the script, the storyboard as a PDF and a "
          "list of the visual assets required."),
    brief("content", "Refresh the help-center articles for our {product}", (12, 20),
          ["technical-writing", "editing", "documentation"],
          "About 40 help-center articles for our {product} are out of date after a redesign last spring. Work "
          "through the list we provide, update steps and screenshots, merge duplicates, and flag articles that "
          "should be retired. Follow our style guide: short sentences, numbered steps, one task per article. "
          "Deliver the revised articles in our knowledge-base editor and a change log."),
    brief("content", "Launch a monthly newsletter for {audience}", (10, 15),
          ["email-marketing", "writing", "mailchimp"],
          "We are launching a monthly email newsletter for {audience} and need the first three issues written and "
          "built. Each issue should have a lead story, two short updates and one clear call to action. Draft the "
          "copy, build the issues in Mailchimp from our template, and suggest subject lines for A/B testing. "
          "Deliver all three issues ready to schedule, with a short note on how you chose the topics."),
    brief("content", "Edit and caption our webinar library", (10, 16),
          ["video-editing", "captioning", "accessibility"],
          "We have 15 recorded webinars that need tightening and accurate captions before we republish them. Trim "
          "dead air and off-topic segments, add title cards from our template, and correct the auto-generated "
          "captions to at least 99 percent accuracy. Deliver the edited videos and SRT caption files in our "
          "shared drive, plus a spreadsheet with new titles and descriptions. Any editor works; we can provide a "
          "Descript licence."),
    # sales
    brief("sales", "Build a prospect list of 150 {audience}", (10, 15),
          ["lead-generation", "linkedin", "excel"],
          "Our sales team wants to reach more {audience} in {region} and neighbouring states. Build a list of 150 "
          "qualified prospects with organization name, size, decision-maker name and title, a public contact "
          "channel and a one-line note on why they fit. Use public sources only and follow the qualification "
          "criteria in our brief. Deliver the list as a spreadsheet ready to import into our CRM; we will review "
          "the first 20 rows with you before you continue."),
    brief("sales", "Qualify inbound leads from our last trade show", (8, 12),
          ["lead-qualification", "crm", "communication"],
          "We collected about 300 badge scans at a trade show and have not followed up yet. Research each lead, "
          "score it against our ideal-customer profile, and enter the results in our CRM with a recommended next "
          "step. Deliver the scored list and a short summary of the patterns you noticed. No cold calling is "
          "involved; this is desk research and data entry."),
    brief("sales", "Draft outbound email sequences for our {product}", (8, 12),
          ["copywriting", "sales", "email-marketing"],
          "We need three short email sequences, four emails each, introducing our {product} to {audience}. Each "
          "sequence targets a different buyer role that we will describe at kickoff. Write subject lines, body "
          "copy under 120 words per email and a clear call to action, and propose how to measure which sequence "
          "works. Deliver the sequences in a Google Doc with notes on tone and personalization fields."),
    brief("sales", "Win/loss analysis of last year's deals", (15, 20),
          ["sales-analysis", "interviewing", "excel"],
          "We closed about 60 percent of the deals we proposed last year and want to understand why we lost the "
          "rest. Review CRM notes for 80 closed deals, code the reasons for wins and losses, and interview four "
          "account managers for context. Deliver a spreadsheet of coded deals and a short deck with the top five "
          "reasons we win and lose. All data is anonymized before you receive it."),
    brief("sales", "Map referral partners in {region}", (10, 15),
          ["lead-generation", "market-research", "excel"],
          "Many of our best customers come to us through referrals from other organizations serving {audience}. "
          "Identify 60 to 80 potential referral partners in {region}, such as associations, consultants and "
          "complementary providers, and note what they offer, who leads them and how we might work together. "
          "Deliver a prioritized spreadsheet and three sample introduction emails. Our partnerships manager will "
          "meet you weekly for 20 minutes."),
    brief("sales", "Update the sales battlecards for our three main competitors", (8, 12),
          ["sales-enablement", "competitive-analysis", "writing"],
          "The sales battlecards for our {product} were last updated two years ago. Research the three competitors "
          "we name and update each card with current positioning, pricing signals, strengths, weaknesses and "
          "suggested answers to common objections. Keep each card to one page and cite your sources in the notes. "
          "Deliver the three cards in our template and a short list of open questions for the sales team."),
    # hr
    brief("hr", "Screen and sort 200 applications for seasonal roles", (10, 15),
          ["recruiting", "attention-to-detail", "excel"],
          "We received about 200 applications for seasonal positions and need them screened against a rubric "
          "before interviews start. Score each application on the five criteria we provide, note missing "
          "documents, and sort candidates into interview, hold and decline groups. You will work in our "
          "applicant-tracking system with limited access, and all data stays inside it. Deliver the scored list "
          "and a half-page note on where the rubric was hard to apply."),
    brief("hr", "Audit our job descriptions for inclusive language", (8, 12),
          ["writing", "inclusive-hiring", "hr"],
          "We want our job postings to attract a broader pool of applicants. Review our 25 active job "
          "descriptions for exclusionary language, inflated requirements and missing salary ranges, and suggest "
          "rewrites. Deliver a tracked-changes version of each description and a one-page checklist our hiring "
          "managers can reuse. Our HR business partner will review the first five with you."),
    brief("hr", "Organize and digitize personnel records", (12, 20),
          ["records-management", "data-entry", "confidentiality"],
          "Several years of personnel files exist only on paper at our main office. Scan and name the files using "
          "our convention, enter key dates into our HR system, and flag records with missing forms. You will work "
          "on site under a confidentiality agreement, two or three afternoons a week. Deliver a complete index of "
          "all files and an exceptions list for HR to follow up.",
          sectors=["manufacturing", "seniorcare", "healthcare", "logistics", "food", "government"], onsite=True),
    brief("hr", "Benchmark pay for intern and entry-level roles", (10, 15),
          ["compensation", "market-research", "excel"],
          "We want to make sure our intern and entry-level pay is competitive. Collect pay data for eight roles "
          "from public salary surveys, job postings that list ranges, and government statistics for our metro "
          "area and two comparison markets. Deliver a spreadsheet with sources and a short memo recommending a "
          "range for each role. Our HR director will share our current ranges in confidence at kickoff."),
    brief("hr", "Design a new-hire onboarding guide", (10, 15),
          ["onboarding", "writing", "process-design"],
          "New hires at {org} currently learn the ropes from whoever sits next to them. Interview four recent "
          "hires and two managers, then draft a 30-60-90 day onboarding checklist and a friendly guide to tools, "
          "people and first assignments. Deliver the checklist, the guide as a Google Doc, and a list of documents "
          "that should exist but don't. Expect two 30-minute interviews a week during the project."),
    brief("hr", "Analyze our employee engagement survey", (12, 18),
          ["survey-analysis", "excel", "data-visualization"],
          "About 300 employees answered our engagement survey, including open comments. Analyze the results by "
          "team and tenure, code the comments into themes, and identify the three issues with the biggest gap "
          "between importance and satisfaction. Deliver a short deck for the leadership team and the coded "
          "comment file. Results are anonymized, and teams under five people are merged."),
    # software
    brief("software", "Automate a weekly report with Python", (15, 25),
          ["python", "pandas", "automation"],
          "Every Monday an analyst spends three hours copying numbers from two CSV exports and an API into a "
          "report. Write a Python script that pulls the same data, produces the tables and charts, and emails a "
          "PDF to a distribution list. Include tests for the calculations and a README so our team can maintain "
          "it. Deliver the code in our Git repository with a short recorded demo."),
    brief("software", "Write integration tests for our public REST API", (20, 30),
          ["python", "api-testing", "git"],
          "The public API of our {product} has good unit tests but almost no integration tests. Using our staging "
          "environment and OpenAPI document, write integration tests that cover authentication, pagination and "
          "the ten most-used endpoints, including error cases. The tests should run in our CI with one command. "
          "Deliver a pull request with the tests and a short report of any bugs you found."),
    brief("software", "Build an internal request tracker in Google Apps Script", (12, 20),
          ["javascript", "google-apps-script", "automation"],
          "Requests from our field teams arrive by email and get lost. Build a Google Form and Apps Script tool "
          "that logs requests to a sheet, routes them by type, and sends status emails when they change. Keep it "
          "simple enough that a non-developer can change the routing rules. Deliver the working tool, the "
          "commented script and a one-page admin guide."),
    brief("software", "Fix accessibility issues on our marketing website", (15, 25),
          ["html", "css", "accessibility"],
          "An automated scan found about 120 WCAG 2.1 AA issues on our marketing site, mostly contrast, missing "
          "labels and heading order. Fix them in our static-site repository, test with a screen reader and with "
          "the keyboard only, and document anything that needs a design decision. Deliver a pull request and a "
          "before-and-after report; our web lead will review and merge your changes."),
    brief("software", "Prototype a Slack bot for support triage", (25, 40),
          ["python", "api-integration", "slack"],
          "Our support team triages questions about our {product} in a busy Slack channel. Build a prototype bot "
          "that tags incoming messages by topic, suggests matching help articles and posts a daily summary. Use "
          "the Slack API and our help-center search endpoint; a rules-based approach is fine and no machine "
          "learning is required. Deliver the code, setup instructions and a five-minute demo video."),
    brief("software", "Move our legacy spreadsheets into a small SQL database", (20, 30),
          ["sql", "python", "data-modeling"],
          "We track projects in a dozen linked spreadsheets that break whenever someone adds a column. Design a "
          "simple relational schema, write a Python script that migrates the existing data into SQLite, and write "
          "the five queries our managers ask for most often. Deliver the schema diagram, the migration script, "
          "the queries and a short guide, and flag any data that could not be migrated cleanly."),
    brief("software", "Scrape and load public permit data for {region}", (20, 30),
          ["python", "web-scraping", "sql"],
          "We want to track building and construction permits in the counties we serve. Write a scraper for three "
          "county permit portals, normalize the records into one table, and load them into a database on a "
          "schedule, respecting each site's terms and rate limits. Deliver the code, one month of loaded sample "
          "data and documentation for adding another county.",
          sectors=["realestate", "energy", "engineering", "government", "manufacturing"]),
    # design
    brief("design", "Redesign our three customer email templates", (8, 12),
          ["figma", "email-design", "html"],
          "Our onboarding, receipt and newsletter emails look dated and render poorly on phones. Redesign all "
          "three in Figma using our brand guidelines, then build them as responsive HTML that works in the major "
          "email clients. Deliver the Figma file, the HTML templates and screenshots from a rendering test. We "
          "provide brand assets and copy."),
    brief("design", "Infographic set from our annual report", (10, 15),
          ["adobe-illustrator", "data-visualization", "graphic-design"],
          "Our annual report is full of numbers nobody reads. Turn eight key findings into a set of infographics "
          "for the web and social media, in square and vertical formats. Use our brand colours and fonts and keep "
          "every graphic readable at phone size. Deliver editable source files and exported PNGs; we review "
          "sketches before you finalize."),
    brief("design", "Usability test of our {product} sign-up flow", (12, 18),
          ["ux-research", "usability-testing", "figma"],
          "Too many people abandon our sign-up flow before finishing. Recruit and run five moderated usability "
          "sessions (we cover participant incentives), capture where people hesitate or fail, and propose "
          "changes. Deliver session notes, a short highlight reel and annotated Figma frames showing your "
          "recommended fixes. Our product designer will join the first session."),
    brief("design", "Trade-show booth graphics and a one-page handout", (10, 15),
          ["graphic-design", "adobe-indesign", "print-design"],
          "We are exhibiting at two industry events next quarter and need fresh booth graphics. Design a 10-foot "
          "backdrop, a tabletop banner and a one-page handout about our {product} for {audience}. Deliver "
          "print-ready files to the vendor specifications we provide, plus editable source files. Two rounds of "
          "revisions are included."),
    brief("design", "Icon set and spot illustrations for our app", (15, 25),
          ["illustration", "figma", "icon-design"],
          "Our {product} mixes icons from three different libraries, and it shows. Design a consistent set of 40 "
          "icons and six spot illustrations for empty states, following our design system's grid and stroke "
          "rules. Deliver SVGs, a Figma component library and a short usage guide. We will review a first batch "
          "of ten icons before you continue."),
    brief("design", "Slide template for sales and board decks", (8, 12),
          ["powerpoint", "graphic-design", "branding"],
          "Everyone at {org} builds slides differently. Design a PowerPoint template with master layouts for "
          "title, agenda, section, chart, table, quote and closing slides, and rebuild ten example slides from "
          "our current decks in it. The template has to work for people who are not designers. Deliver the "
          "template file and a one-page guide."),
    # operations
    brief("operations", "Map and document our order-to-invoice process", (12, 20),
          ["process-mapping", "visio", "operations"],
          "Orders pass through four teams before an invoice goes out, and the handoffs are where errors happen. "
          "Interview one person from each team, map the current process as a swimlane diagram, and mark delays, "
          "rework and manual steps. Deliver the process map, the top five improvement ideas with estimated effort, "
          "and your interview notes. Expect about four short video interviews."),
    brief("operations", "Compare scheduling software vendors", (10, 15),
          ["vendor-research", "excel", "operations"],
          "We are choosing new scheduling software for our {product}. Research six vendors, request demos where "
          "possible, and score them against the 20 requirements we provide, including price, integrations and "
          "support. Deliver a scoring spreadsheet, a two-page recommendation and a list of reference questions. "
          "We will introduce you to the vendor contacts."),
    brief("operations", "Reconcile inventory between two warehouses", (15, 25),
          ["excel", "inventory", "data-analysis"],
          "Our system and physical counts disagree for about 8 percent of items across two warehouses. Compare "
          "the cycle-count exports with system records, trace the largest discrepancies through receiving and "
          "shipping logs, and classify their causes. Deliver a reconciliation workbook and a short memo with fixes "
          "for the top three causes. Some work is on site at our warehouse; we cover mileage.",
          sectors=["retail", "manufacturing", "logistics", "food"], onsite=True),
    brief("operations", "Plan the logistics for our spring client summit", (10, 15),
          ["event-planning", "project-management", "vendor-research"],
          "We host about 120 clients for a one-day summit each spring. Build the project plan from last year's "
          "notes: a venue shortlist with quotes, catering options, run-of-show, registration timeline and budget. "
          "Deliver the plan, a budget spreadsheet and a vendor comparison. Our office manager approves the "
          "choices; you will not sign any contracts."),
    brief("operations", "Write standard operating procedures for customer onboarding", (10, 16),
          ["process-design", "writing", "operations"],
          "Onboarding a new customer to our {product} takes anywhere from one to six weeks, depending on who "
          "handles it. Watch recordings of two onboarding calls, interview the team, and write step-by-step SOPs "
          "with checklists and templates. Deliver the SOPs in our wiki and a one-page summary of where the "
          "process could be shortened."),
    brief("operations", "Time study of our packing line", (24, 40),
          ["lean", "time-study", "excel"],
          "Output on our packing line varies by almost 30 percent between shifts. Over two weeks, run time studies "
          "on each station across shifts, record cycle times and stoppages, and identify the bottleneck. Deliver "
          "the data, a line-balancing proposal and a one-page summary for the plant manager. This project is on "
          "site; safety training is provided on the first day.",
          sectors=["manufacturing", "logistics", "food"], onsite=True),
    brief("operations", "Collect baseline data for our first sustainability report", (15, 25),
          ["sustainability", "excel", "research"],
          "We are preparing our first sustainability report and need baseline data. Gather two years of energy, "
          "water, waste and travel data from utility bills and internal records, convert it to emissions with EPA "
          "factors, and document the gaps. Deliver a data workbook with sources, a methods note and a list of "
          "data we should start collecting. Our facilities manager will give you access to the records."),
]

# ---------------------------------------------------------------------------------------
# Data tables: sentences for statements, feedback and outcomes
# ---------------------------------------------------------------------------------------

APPLY_OPENERS = [
    "I'm a {level} in {major}, and this project lines up closely with what I did in {course}.",
    "As a {level} in {major}, I've been looking for a short project where I can use {skill} on a real business question.",
    "This brief caught my eye because {org} works on exactly the kind of problem I want to work on after graduation.",
    "I'm {a_major} {level} at Northfield with hands-on experience in {skill}.",
    "I'd love to take this on: it's the kind of well-scoped project I do my best work on, and it builds on my {major} coursework.",
]
APPLY_EVIDENCE = {
    "research": ["Last semester I built a competitor comparison for a student-consulting client and presented it to their leadership team.",
                 "For my {course} project I collected and coded public data from more than forty sources and documented every assumption.",
                 "I've run and transcribed a dozen user interviews for a campus startup and turned them into a themes memo."],
    "data": ["I cleaned and analyzed a 60,000-row dataset in pandas for a class project and wrote up the findings for a non-technical audience.",
             "In {course} I built a Power BI dashboard from three messy spreadsheets, and the department still uses it.",
             "I work part-time in the campus analytics office, where I maintain SQL queries behind weekly enrolment reports."],
    "content": ["I write for The Northfield Ledger and have published more than twenty articles on deadline.",
                "I ran the social accounts for a student organization and grew its Instagram following by about 60 percent in a year.",
                "My {course} portfolio includes long-form articles, email campaigns and short video scripts."],
    "sales": ["I spent two summers in a customer-facing role and enjoy the research side of finding the right people to talk to.",
              "For a marketing class I built a 200-row prospect list for a local business, and they booked six meetings from it.",
              "I'm comfortable with LinkedIn research and CRM tools from my work with the Entrepreneurship Club."],
    "hr": ["I work as a student assistant in the campus HR office, handling confidential records every week.",
           "My {course} coursework covered structured interviewing and rubric design, which I used to screen volunteers for a campus event.",
           "I helped rewrite the onboarding guide for new resident assistants in my residence hall."],
    "software": ["I've built several Python projects on GitHub, including a scraper and a small Flask app with tests.",
                 "In {course} I wrote integration tests for a REST API and set them up to run in CI.",
                 "I fixed accessibility issues on a student organization's website and tested it with VoiceOver."],
    "design": ["My portfolio includes brand identities, icon sets and email templates made in Figma and Illustrator.",
               "I designed the print and social materials for the spring arts festival on a tight deadline.",
               "In {course} I ran usability tests with five participants and redesigned a sign-up flow based on what I saw."],
    "operations": ["I mapped the intake process for a campus food pantry and cut the average wait by about ten minutes.",
                   "In {course} I ran a time study on a local print shop's finishing line and proposed a new layout.",
                   "I coordinate logistics for a 300-person student conference, including vendors, budget and schedule."],
}
APPLY_CLOSERS = [
    "I can commit about {hpw} hours a week and deliver before the due date.",
    "I'm available for a kickoff call any afternoon this week.",
    "I'm happy to share an early draft so you can steer the work before the deadline.",
    "I would welcome feedback along the way and can start right away.",
]

ENDORSE_OPENERS = {
    "course": ["I taught {first} in {course} ({term}), where {first} earned one of the top marks in a section of {n}.",
               "{first} was one of the strongest students in my {course} class {term}.",
               "I had {first} in {course} {term}, and {first}'s final project was the best in the class."],
    "research": ["{first} has worked in my research group since {term}, helping with {task}.",
                 "I supervised {first} as an undergraduate research assistant starting {term}, working on {task}."],
    "advising": ["I have been {first}'s academic advisor since {term} and have watched {first} take on increasingly ambitious work.",
                 "As {first}'s advisor since {term}, I have reviewed {first}'s plans and projects every semester."],
    "other": ["I supervised {first} as a student assistant in our department office from {term} onward.",
              "I got to know {first} as the student lead of a department outreach event {term}."],
}
RESEARCH_TASKS = ["data collection and cleaning for a two-year field study", "a literature review on community health access",
                  "survey design and analysis for a regional employer study", "prototype testing for a sensor project",
                  "coding interview transcripts for a policy study", "building analysis scripts in R and Python"]
ENDORSE_MIDDLES = [
    "{first} is especially strong in {skill1} and {skill2}, and the work is always careful and well documented.",
    "What stands out is how {first} handles ambiguity: {first} asks sharp questions early and then delivers without reminders.",
    "{first} communicates clearly in writing and in person, and takes feedback seriously.",
    "{first}'s {skill1} skills are well beyond what I usually see at this level.",
]
ENDORSE_CLOSERS = [
    "I recommend {first} without reservation for short project work.",
    "Any employer would be lucky to have {first} on a project team.",
    "I would gladly work with {first} again.",
]
REQUEST_MESSAGES = [
    "Hi Professor {last}, I'm applying for micro-internships in {area} and would be grateful for an endorsement based on my work in your class. Thank you for considering it!",
    "Dear Professor {last}, would you be willing to endorse me for {area} projects? Your feedback on my final project meant a lot, and I'd like employers to see it.",
    "Hello {first_f}, I'm putting together applications for this term's micro-internships. If you're comfortable, an endorsement of my {area} skills would really help.",
]
DECISION_OFFERED = ["Congratulations! We'd like you to take on this project. Please accept within three days so we can schedule the kickoff.",
                    "We were impressed by your application and would love to work with you on this."]
DECISION_REJECTED = ["Thank you for applying. We chose a candidate whose experience matched the brief more closely.",
                     "Thanks for your interest. We received many strong applications and could only pick one student this time.",
                     "We've filled this project, but we'd encourage you to apply to our next posting."]
DECISION_CANCELLED = "This posting was cancelled by the employer, so your application was closed."
DELIVERABLES = {"research": "research memo", "data": "analysis workbook", "content": "drafts", "sales": "prospect list",
                "hr": "summary and scored list", "software": "code and documentation", "design": "design files",
                "operations": "process documentation"}
FEEDBACK = {
    5: ["Excellent work: the {d} was thorough, well organized and delivered ahead of schedule. We're already using it.",
        "Outstanding. Clear communication throughout and a {d} our team could use without any rework.",
        "One of the best student projects we've had. The {d} went straight to our leadership team."],
    4: ["Solid work that met the brief. A bit more context in the summary would have made the {d} even stronger.",
        "Good {d}, delivered on time. One round of small revisions and it was ready to use.",
        "Reliable and easy to work with; the {d} covered everything we asked for."],
    3: ["The core of the {d} was fine, but we needed a revision round to fix gaps and missing sources.",
        "Acceptable {d}, though it arrived late and needed more editing than we expected."],
    2: ["The {d} missed several requirements from the brief; we finished it internally."],
    1: ["We received only part of the {d} and had to redo most of it."],
}
STUDENT_FEEDBACK = [
    "Clear brief and a responsive manager; the kickoff call made all the difference.",
    "Great first project. I learned a lot about how a real team uses data.",
    "The scope was well defined and the feedback was specific and kind.",
    "A bit more context up front would have helped, but the team was supportive.",
    "Loved it. This confirmed what I want to do after graduation.",
]
CANCEL_REASONS = [
    ("student", "Student had a family emergency and could not continue the project."),
    ("employer", "Project paused after a budget freeze on the employer's side."),
    ("employer", "Scope changed before work started; cancelled by mutual agreement."),
    ("student", "Student took on a semester internship and could not meet the deadline."),
]
OFFER_TITLES = {
    "research": ("Market Research Analyst", "Research Intern"),
    "data": ("Data Analyst", "Data Analytics Intern"),
    "content": ("Content Marketing Associate", "Content Intern"),
    "sales": ("Sales Development Representative", "Sales and Partnerships Intern"),
    "hr": ("Talent Acquisition Coordinator", "People Operations Intern"),
    "software": ("Software Engineer I", "Software Engineering Intern"),
    "design": ("Junior Product Designer", "Design Intern"),
    "operations": ("Operations Analyst", "Operations Intern"),
}

# Destinations that are not seeded employers (all fictional except the public service programmes).
OTHER_EMPLOYERS = {
    ARTS: ["Lakeshore Policy Institute", "Bramblewood Publishing", "Tri-County Health Department", "Westgate Research Labs",
           "Millbrook School District", "Sycamore Public Relations", "Oakhaven Community College", "Redfern Analytics"],
    BUSINESS: ["Granger & Holt LLP", "Pioneer Regional Bank", "Keystone Supply Co.", "Lakefront Advisory Group",
               "Cobalt Retail Group", "Marlowe Logistics", "Ashford Capital Partners", "Stonegate Insurance"],
    ENGINEERING: ["Vireo Systems", "Northgate Robotics", "Helix Data Labs", "Brookfield Municipal Utilities",
                  "Tanager Aerospace", "Clearwater Engineering Group", "Quartzline Software", "Summitview Networks"],
    HEALTH: ["St. Brendan Medical Center", "Riverside Children's Hospital", "Evergreen Home Health",
             "Harmony Physical Therapy", "Metro Community Health Center", "Lakeview Behavioral Health",
             "Northfield Regional Hospital", "Bayside Rehabilitation Institute"],
}
GRAD_SCHOOLS = ["Northfield University Graduate School", "Lakeshore State University", "Westbrook University School of Law",
                "Carrington College of Medicine", "Holloway Institute of Technology", "Marston University School of Public Health",
                "Bellmont University", "Prairie State University", "Eastvale University School of Nursing"]
MILITARY = [("U.S. Army", "Second Lieutenant"), ("U.S. Navy", "Ensign"), ("U.S. Air Force", "Second Lieutenant"),
            ("U.S. Marine Corps", "Second Lieutenant")]
SERVICE = [("AmeriCorps VISTA", "VISTA Member"), ("Peace Corps", "Education Volunteer"), ("City Year", "AmeriCorps Member"),
           ("FoodCorps", "Service Member")]
# Shares of first-destination categories among known graduates (not counting conversions).
CATEGORY_SHARES = [("employed_full_time", 0.52), ("employed_part_time", 0.07), ("military", 0.02),
                   ("volunteer_service", 0.03), ("continuing_education", 0.17), ("seeking_employment", 0.12),
                   ("seeking_continuing_education", 0.03), ("not_seeking", 0.04)]
EMPLOYMENT_TYPES = ["standard", "entrepreneur", "temporary_contract", "freelance", "postgrad_internship_fellowship"]

# Sessions of the two fairs: (employer, title, day index, start "HH:MM" UTC, minutes, capacity).
FAIRS = [
    # Fairs move with today in whole weeks, so their names carry neither a season nor a year.
    dict(name="Northfield Virtual Career Fair", status="closed", start="2026-10-14 13:00:00", end="2026-10-15 21:00:00",
         created="2026-08-24", published="2026-09-01", closed="2026-10-16",
         description="Two afternoons of employer info sessions and one-on-one chats, open to all Northfield "
                     "students and recent graduates. Sessions run on video; join links appear after you register.",
         groups=[
             ("Brightline Analytics", "Inside Brightline: analytics careers and upcoming micro-internships", 0, "14:00", 45, 40),
             ("Harbor & Finch Consulting", "Case interview workshop with Harbor & Finch consultants", 0, "15:00", 60, 30),
             ("Ledgerwise", "Building fintech products: engineering and product roles at Ledgerwise", 0, "17:00", 45, 50),
             ("Cedar Valley Health Partners", "Careers in population health at Cedar Valley", 0, "19:00", 45, 25),
             ("Kestrel Software", "Remote-first engineering at Kestrel: Q&A with the platform team", 1, "14:00", 60, 60),
             ("Meridian Federal Solutions", "Public-sector consulting and security clearances explained", 1, "15:30", 45, 20),
             ("Lumen Ridge Biotherapeutics", "From lab to launch: clinical and commercial roles at Lumen Ridge", 1, "17:00", 45, 35),
             ("Copperleaf Insurance Mutual", "Actuarial and analytics paths at Copperleaf Insurance Mutual", 1, "19:00", 45, 20),
         ],
         series=[
             ("Brightline Analytics", "1:1 chat with a Brightline recruiter", 0, "16:00", 20, 8),
             ("Copperleaf Insurance Mutual", "Resume review with Copperleaf's early-careers team", 1, "15:00", 15, 8),
             ("Harbor & Finch Consulting", "1:1 coffee chat with a Harbor & Finch analyst", 1, "18:00", 15, 6),
         ],
         full=["Public-sector consulting and security clearances explained",
               "Actuarial and analytics paths at Copperleaf Insurance Mutual"],
         cancelled_slot=("Resume review with Copperleaf's early-careers team", 7, "2026-10-09"),
         cancelled_group=None),
    dict(name="Micro-Internship Showcase", status="published", start="2027-02-17 14:00:00",
         end="2027-02-17 22:00:00", created="2026-11-03", published="2026-11-10", closed=None,
         description="Meet employers who are posting new micro-internships: short, paid, remote projects you can "
                     "fit around your classes. Bring questions about the briefs; several hosts review portfolios one-on-one.",
         groups=[
             ("Sunspan Energy", "Clean-energy careers: micro-internships at Sunspan Energy", 0, "14:30", 45, 40),
             ("Bluefin Logistics", "How a port logistics operation runs: Bluefin Logistics", 0, "15:30", 45, 30),
             ("Riverstone Media Collective", "Growing an audience: media and newsletter projects at Riverstone", 0, "16:30", 45, 30),
             ("Fieldnote Creative", "Portfolio night: design and content briefs with Fieldnote Creative", 0, "17:30", 60, 25),
             ("Ironbridge Civil Engineering", "Engineering the public realm: Ironbridge infrastructure projects", 0, "18:30", 45, 20),
             ("Common Plate Food Alliance", "Nonprofit operations and data at Common Plate Food Alliance", 0, "19:30", 45, 20),
             ("Wrenly Health", "Startup life in digital health at Wrenly", 0, "20:30", 45, 30),
             ("Quillpath Learning", "EdTech product and content roles at Quillpath", 0, "21:00", 45, 25),
         ],
         series=[
             ("Ledgerwise", "1:1 portfolio review with a Ledgerwise engineer", 0, "15:00", 15, 8),
             ("Lumen Ridge Biotherapeutics", "1:1 conversation with Lumen Ridge clinical operations", 0, "18:00", 20, 6),
         ],
         full=["Engineering the public realm: Ironbridge infrastructure projects",
               "Nonprofit operations and data at Common Plate Food Alliance"],
         cancelled_slot=None,
         cancelled_group=("EdTech product and content roles at Quillpath", "2026-11-18")),
]
SESSION_BLURBS = [
    "Hear from the team about current projects, what a first micro-internship with us looks like, and how we hire.",
    "A short presentation followed by open Q&A. Cameras optional.",
    "Bring your questions about our upcoming briefs; we will share examples of past student deliverables.",
]

# =======================================================================================
# Helpers
# =======================================================================================

NOW = dt.datetime(2026, 11, 22, 11, 30, 0)  # latest timestamp in the demo data
DAY = dt.timedelta(days=1)


def make_id(kind, *key):
    """A stable id: uuid5 of the row's natural key."""
    return str(uuid.uuid5(NAMESPACE, "/".join([kind, *(str(k) for k in key)])))


def ascii_slug(text):
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def day(text):
    return dt.date.fromisoformat(text)


def stamp(d, hour=12, minute=0, second=0):
    return dt.datetime(d.year, d.month, d.day, hour, minute, second)


def graduation_day(term):
    year, month = map(int, term.split("-"))
    return dt.date(year, month, 15)


def cohort_of(term):
    """NACE class of a graduation term: July..December counts toward the next year's class."""
    year, month = map(int, term.split("-"))
    return year + 1 if month >= 7 else year


def term_label(d, on):
    """The term of day d as someone writing on day `on` names it: "last fall", "this spring".
    Relative words, not years: an endorsement moves by whole years and stays true."""
    season = "spring" if d.month <= 5 else "summer" if d.month <= 7 else "fall"
    return f"{'this' if d.year == on.year else 'last'} {season}"


def split_name(name):
    first, _, last = name.partition(" ")
    return first, last


class Seed:
    """Generated rows per table plus the random source. Keys starting with '_' are internal."""

    def __init__(self):
        self.rng = random.Random(RANDOM_SEED)
        self.rows = {table: [] for table in MANIFEST}
        self.used_names = set()

    def add(self, table, **row):
        unknown = [k for k in row if not k.startswith("_") and k not in COLUMNS[table]]
        assert not unknown, f"{table}: unknown columns {unknown}"
        self.rows[table].append(row)
        return row

    # random helpers -------------------------------------------------------------------
    def chance(self, p):
        return self.rng.random() < p

    def pick(self, items):
        return self.rng.choice(items)

    def weighted(self, pairs):
        items, weights = zip(*pairs)
        return self.rng.choices(items, weights)[0]

    def day_between(self, start, end):
        end = max(start, end)
        return start + dt.timedelta(days=self.rng.randint(0, (end - start).days))

    def time_on(self, d, first_hour=13, last_hour=21):
        """A UTC time on day d during the campus working day (13:00-22:00 UTC)."""
        return stamp(d, self.rng.randint(first_hour, last_hour), self.rng.randint(0, 59), self.rng.randint(0, 59))

    def later(self, t, min_hours, max_hours, limit=NOW):
        """A time between min_hours and max_hours after t, never after limit (nor before t)."""
        value = t + dt.timedelta(minutes=self.rng.randint(int(min_hours * 60), int(max_hours * 60)))
        return max(t + dt.timedelta(minutes=1), min(value, limit))

    def person(self):
        """A fresh (first, last) name pair not used by anyone else in the demo."""
        while True:
            first, last = self.pick(FIRST_NAMES), self.pick(LAST_NAMES)
            key = (ascii_slug(first), ascii_slug(last))
            if key not in self.used_names:
                self.used_names.add(key)
                return first, last

    def reserve(self, name):
        first, last = split_name(name)
        self.used_names.add((ascii_slug(first), ascii_slug(last)))


# =======================================================================================
# People: staff, faculty, students
# =======================================================================================

def add_user(s, email, name, created, disabled=False):
    return s.add("users", id=make_id("user", email), email=email, display_name=name, issuer=None, subject=None,
                 disabled=disabled, created_at=created, updated_at=created)


def add_role(s, user, role, granted_by, created):
    return s.add("user_roles", id=make_id("user_role", user["email"], role, "grant"), user_id=user["id"], role=role,
                 source="grant", granted_by=granted_by["id"] if granted_by else None, created_at=created,
                 updated_at=created)


def campus_email(first, last):
    return f"{ascii_slug(first)}.{ascii_slug(last)}@{CAMPUS_DOMAIN}"


def gen_staff(s):
    for name in ADMINS + COUNSELORS:
        s.reserve(name)
    s.admins, s.counselors = [], []
    for i, name in enumerate(ADMINS):
        user = add_user(s, campus_email(*split_name(name)), name, stamp(LAUNCH - 14 * DAY, 14, 5 + i))
        add_role(s, user, "admin", s.admins[0] if s.admins else None, user["created_at"])
        s.admins.append(user)
    for i, name in enumerate(COUNSELORS):
        user = add_user(s, campus_email(*split_name(name)), name, stamp(LAUNCH - 10 * DAY, 15, 10 + i))
        add_role(s, user, "counselor", s.admins[0], user["created_at"])
        s.counselors.append(user)


def gen_faculty(s):
    majors = list(MAJORS)
    departments = majors + s.rng.choices(majors, [MAJORS[m][3] for m in majors], k=FACULTY_COUNT - len(majors))
    s.faculty = []
    for i, department in enumerate(sorted(departments)):
        first, last = s.person()
        title = s.weighted(FACULTY_TITLES)
        if department == "Nursing" and title == "Assistant Professor":
            title = "Clinical Assistant Professor"
        created = stamp(LAUNCH - 3 * DAY, 16, i % 60)
        user = add_user(s, campus_email(first, last), f"{first} {last}", created)
        add_role(s, user, "faculty", s.admins[0], created)
        row = s.add("faculty", id=make_id("faculty", user["email"]), user_id=user["id"], department=department,
                    title=title, created_at=created, updated_at=created, _user=user, _first=first, _last=last)
        s.faculty.append(row)


def student_headline(major, cohort):
    # No class year in the text: cohorts move by whole years when the data is loaded.
    interest = MAJORS[major][6]
    if cohort > TODAY.year:
        return f"Senior {major} student | interested in {interest}"
    return f"{major} graduate, Northfield University | {interest}"


def portfolio_url(s, first, last, major):
    handle = f"{ascii_slug(first)}{ascii_slug(last)}"
    if major in ("Computer Science", "Data Science", "Information Systems", "Electrical Engineering", "Mathematics"):
        return f"https://github.com/{handle}"
    if major in ("Graphic Design", "Communication"):
        return f"https://www.behance.net/{handle}"
    return f"https://www.linkedin.com/in/{ascii_slug(first)}-{ascii_slug(last)}-{s.rng.randint(10, 99)}"


def gen_students(s):
    s.students = []
    majors = list(MAJORS)
    imported = stamp(LAUNCH, 15, 30)
    for index, cohort in enumerate(sorted(COHORTS)):
        size, user_share, terms = COHORTS[cohort]
        numbers = sorted(s.rng.sample(range(10000 + index * 30000, 40000 + index * 30000), size))
        with_user = sorted(s.rng.sample(range(size), round(size * user_share)))
        for i in range(size):
            first, last = s.person()
            major = s.rng.choices(majors, [MAJORS[m][3] for m in majors])[0]
            term = s.weighted(terms)
            email = f"{ascii_slug(first)}.{ascii_slug(last)}.{cohort % 100:02d}@{CAMPUS_DOMAIN}"
            row = s.add("students", id=make_id("student", f"N{numbers[i]:08d}"), user_id=None,
                        student_number=f"N{numbers[i]:08d}", email=email, name=f"{first} {last}",
                        college=MAJORS[major][0], major=major, class_year=cohort_of(term), graduation_term=term,
                        profile_visibility="private", headline="", skills="", portfolio_url=None,
                        created_at=imported, updated_at=imported,
                        _first=first, _last=last, _grad=graduation_day(term), _user=None, _activity=[])
            if i in with_user:
                give_student_user(s, row)
            s.students.append(row)


def give_student_user(s, student):
    """A student who has signed in: a user (created_at fixed later, from their activity)."""
    user = add_user(s, student["email"], student["name"], None)
    student["user_id"] = user["id"]
    student["_user"] = user
    add_role(s, user, "student", None, None)
    if s.chance(0.65):
        student["profile_visibility"] = "employers"
        student["headline"] = student_headline(student["major"], student["class_year"])
        options = MAJORS[student["major"]][2]
        skills = s.rng.sample(options, s.rng.randint(2, min(4, len(options))))
        student["skills"] = ",".join(sorted(skills))
        if s.chance(0.45):
            student["portfolio_url"] = portfolio_url(s, student["_first"], student["_last"], student["major"])
    elif s.chance(0.25):
        student["skills"] = ",".join(sorted(s.rng.sample(MAJORS[student["major"]][2], 2)))


def active_student(student, d):
    """Whether a student could take on a micro-internship on day d (enrolled, or graduated < 60 days ago)."""
    return student["_user"] is not None and d <= student["_grad"] + dt.timedelta(days=60)


def finish_student_users(s):
    """Account creation dates follow each student's first activity in Waypoint."""
    roles = {row["user_id"]: row for row in s.rows["user_roles"] if row["role"] == "student"}
    for student in s.students:
        user = student["_user"]
        if user is None:
            continue
        if student["_activity"]:
            first = min(student["_activity"])
            created = first - dt.timedelta(days=s.rng.randint(1, 12), hours=s.rng.randint(0, 6))
        else:
            last_day = min(student["_grad"], TODAY - 3 * DAY)
            created = s.time_on(s.day_between(LAUNCH + 10 * DAY, last_day))
        created = max(created, stamp(LAUNCH + DAY, 14))
        user["created_at"] = user["updated_at"] = created
        roles[user["id"]]["created_at"] = roles[user["id"]]["updated_at"] = created
        student["updated_at"] = s.later(created, 1, 24 * 5) if student["headline"] or student["skills"] else created


# =======================================================================================
# Employers, partnerships, recruiters
# =======================================================================================

def gen_employers(s):
    s.employers = []
    for spec in EMPLOYERS:
        first_day = day(spec["partnerships"][0]["history"][0][1])
        created = s.time_on(first_day)
        row = s.add("employers", id=make_id("employer", spec["name"]), name=spec["name"], industry=spec["industry"],
                    website=spec.get("website") or f"https://www.{spec['domain']}", email_domain=spec["domain"],
                    size=spec["size"], location=spec["location"], description=spec["description"],
                    created_at=created, updated_at=created, _spec=spec, _recruiters=[], _used_briefs=[],
                    _used_categories=[], _windows=[])
        gen_partnerships(s, row)
        s.employers.append(row)
    s.employer_by_name = {e["name"]: e for e in s.employers}


def gen_partnerships(s, employer):
    owner = s.pick(s.counselors)
    active_since = None
    for index, plan in enumerate(employer["_spec"]["partnerships"]):
        history = [(status, day(on), note) for status, on, note in plan["history"]]
        starts_on = next((on for status, on, _ in history if status == "active"), None)
        ended = [on for status, on, _ in history if status == "ended"]
        row = s.add("partnerships", id=make_id("partnership", employer["name"], index), employer_id=employer["id"],
                    tier=plan["tier"], status=history[-1][0], starts_on=starts_on,
                    ends_on=ended[0] if ended else plan["term_end"], owner_id=owner["id"], notes=plan["notes"],
                    created_at=None, updated_at=None)
        previous = None
        for n, (status, on, note) in enumerate(history):
            at = s.time_on(on, 14, 20)
            s.add("partnership_events", id=make_id("partnership_event", row["id"], n), partnership_id=row["id"],
                  from_status=previous, to_status=status, actor_id=owner["id"], note=note, at=at,
                  created_at=at, updated_at=at)
            row["created_at"] = row["created_at"] or at
            row["updated_at"] = at
            # Active windows: when this employer could post.
            if status == "active":
                active_since = on
            elif previous == "active":
                employer["_windows"].append((active_since, on - DAY))
                active_since = None
            previous = status
        employer["_partnership"] = row
    if active_since:
        employer["_windows"].append((active_since, TODAY))
    employer["_owner"] = owner
    employer["_status"] = employer["_partnership"]["status"]
    employer["_tier"] = employer["_partnership"]["tier"]


def gen_recruiters(s):
    for employer in s.employers:
        if employer["_status"] not in ("active", "paused"):
            continue
        spec = employer["_spec"]
        tier_counts = {"strategic": 3, "gold": s.rng.randint(2, 3), "silver": s.rng.randint(1, 2), "standard": 1}
        count = tier_counts[employer["_tier"]]
        style = s.pick(["first.last", "flast", "first"])
        since = max(employer["_partnership"]["starts_on"], LAUNCH)
        titles = s.rng.sample(RECRUITER_TITLES, count)
        for i in range(count):
            first, last = s.person()
            local = {"first.last": f"{ascii_slug(first)}.{ascii_slug(last)}",
                     "flast": f"{ascii_slug(first)[0]}{ascii_slug(last)}",
                     "first": f"{ascii_slug(first)}.{ascii_slug(last)[0]}"}[style]
            created = s.time_on(since + dt.timedelta(days=s.rng.randint(1, 10) + 20 * i))
            # The campus contact who left Atlas Ridge Capital (partnership paused) is disabled.
            disabled = employer["name"] == "Atlas Ridge Capital" and i == 0
            user = add_user(s, f"{local}@{spec['domain']}", f"{first} {last}", created, disabled=disabled)
            if disabled:
                user["updated_at"] = stamp(day("2026-07-15"), 16, 2)
            add_role(s, user, "recruiter", employer["_owner"], created)
            row = s.add("recruiters", id=make_id("recruiter", user["email"]), user_id=user["id"],
                        employer_id=employer["id"], title=titles[i], created_at=created, updated_at=created,
                        _user=user, _first=first)
            employer["_recruiters"].append(row)


# =======================================================================================
# Opportunities (micro-internship postings)
# =======================================================================================

def plan_postings(employer):
    """The statuses of an employer's postings, by its partnership."""
    name, status = employer["name"], employer["_status"]
    if status == "active":
        plan = ["open"] * (1 + (name in EXTRA_OPEN))
        plan += ["pending_review"] * (name in PENDING_REVIEW) + ["draft"] * (name in DRAFTS)
        plan += ["cancelled"] * (name in CANCELLED)
        return plan + ["closed"] * (POSTINGS_BY_TIER[employer["_tier"]] - len(plan))
    if status in ("paused", "ended"):
        total = POSTINGS_PAUSED if status == "paused" else POSTINGS_ENDED
        plan = ["cancelled"] * (name in CANCELLED)
        return plan + ["closed"] * (total - len(plan))
    return []


def clipped_windows(employer, first, last):
    """The employer's active windows, each starting two weeks in, clipped to [first, last]."""
    out = []
    for start, end in employer["_windows"]:
        start, end = max(start + 14 * DAY, first), min(end, last)
        if start <= end:
            out.append((start, end))
    return out


def spread_days(s, windows, k):
    """k days spread over the union of windows: one random day in each of k equal slices."""
    total = sum((end - start).days + 1 for start, end in windows)
    assert total > 0 and k > 0
    picks = []
    for i in range(k):
        offset = int((i + s.rng.random()) * total / k)
        for start, end in windows:
            span = (end - start).days + 1
            if offset < span:
                picks.append(start + dt.timedelta(days=offset))
                break
            offset -= span
    return picks


def choose_brief(s, employer, use_count):
    sector, wanted = employer["_spec"]["sector"], employer["_spec"]["categories"]
    fits = [b for b in BRIEFS if (b["sectors"] is None or sector in b["sectors"])
            and b["title"] not in employer["_used_briefs"]]
    pool = [b for b in fits if b["category"] in wanted] or fits
    weights = [(3.0 if b["category"] not in employer["_used_categories"] else 1.0) / (1 + use_count[b["title"]]) ** 2
               for b in pool]
    chosen = s.rng.choices(pool, weights)[0]
    use_count[chosen["title"]] += 1
    employer["_used_briefs"].append(chosen["title"])
    employer["_used_categories"].append(chosen["category"])
    return chosen


def fee_cents(s, hours):
    dollars = round(hours * s.rng.uniform(24, 42) / 25) * 25
    dollars = min(1500, max(250, dollars))
    floor = -(-hours * MIN_HOURLY_FEE_CENTS // 2500) * 25  # the hourly minimum, rounded up to $25
    return max(dollars, floor) * 100


def due_after(s, apply_by, hours):
    return apply_by + dt.timedelta(days=s.rng.randint(10, 18) + hours // 2)


def posting_timeline(s, status, open_day, hours, returned=False):
    """Dates and times of a posting in the given status; open_day anchors closed/cancelled ones."""
    t = dict(submitted=None, opened=None, closed=None, review_note=None)
    if status in ("closed", "open"):
        if status == "open":
            open_day = s.day_between(day("2026-09-21"), day("2026-11-19"))
            t["apply_by"] = s.day_between(max(day("2026-11-25"), open_day + 21 * DAY), day("2027-02-26"))
        else:
            t["apply_by"] = min(open_day + s.rng.randint(14, 30) * DAY, TODAY - 8 * DAY)
            t["closed"] = stamp(t["apply_by"] + DAY, 5, 0, 0)
        t["opened"] = s.time_on(open_day, 14, 20)
        t["submitted"] = s.time_on(open_day - s.rng.randint(1, 3) * DAY)
        t["created"] = t["submitted"] - dt.timedelta(hours=s.rng.randint(3, 200))
        t["updated"] = t["closed"] or t["opened"]
    elif status == "pending_review":
        t["submitted"] = s.time_on(s.day_between(day("2026-11-09"), TODAY - DAY))
        t["created"] = t["submitted"] - dt.timedelta(hours=s.rng.randint(3, 120))
        t["apply_by"] = t["submitted"].date() + s.rng.randint(21, 60) * DAY
        t["updated"] = t["submitted"]
    elif status == "draft":
        t["created"] = s.time_on(s.day_between(day("2026-10-26"), day("2026-11-14" if returned else "2026-11-21")))
        t["apply_by"] = t["created"].date() + s.rng.randint(30, 75) * DAY
        # A returned draft was submitted and sent back; submitted_at is cleared on return.
        t["updated"] = s.later(t["created"], 30, 24 * 5) if returned else t["created"]
    elif status == "cancelled":
        t["apply_by"] = open_day + s.rng.randint(14, 30) * DAY
        t["submitted"] = s.time_on(open_day - s.rng.randint(1, 3) * DAY)
        t["created"] = t["submitted"] - dt.timedelta(hours=s.rng.randint(3, 200))
        if s.chance(0.6):
            t["opened"] = s.time_on(open_day, 14, 20)
            t["updated"] = s.time_on(open_day + s.rng.randint(3, 12) * DAY)
        else:
            t["updated"] = s.later(t["submitted"], 2, 24 * 6)
    t["due_by"] = due_after(s, t["apply_by"], hours)
    t["open_day"] = t["opened"].date() if t["opened"] else t["apply_by"] - 21 * DAY
    return t


def eligibility(s, category, open_day):
    """Eligibility lists for a posting: usually none, sometimes majors, colleges or class years."""
    out = {"eligible_colleges": "", "eligible_majors": "", "eligible_class_years": ""}
    if not s.chance(0.3):
        return out
    kind = s.weighted([("majors", 50), ("colleges", 25), ("years", 25)])
    if kind == "majors":
        majors = s.rng.sample(CATEGORY_MAJORS[category], s.rng.randint(2, min(4, len(CATEGORY_MAJORS[category]))))
        out["eligible_majors"] = ",".join(sorted(majors))
    elif kind == "colleges":
        colleges = sorted({MAJORS[m][0] for m in CATEGORY_MAJORS[category]})
        out["eligible_colleges"] = ",".join(sorted(s.rng.sample(colleges, min(len(colleges), s.rng.randint(1, 2)))))
    else:
        current = [c for c, (_, _, terms) in sorted(COHORTS.items())
                   if max(graduation_day(t) for t, _ in terms) > open_day]
        out["eligible_class_years"] = ",".join(str(c) for c in current[-s.rng.randint(1, 2):])
    return out


def posting_author(s, employer, created):
    recruiters = [r for r in employer["_recruiters"] if r["created_at"] < created]
    return s.pick(recruiters)["_user"] if recruiters else employer["_owner"]


def gen_opportunities(s):
    s.opportunities = []
    use_count = Counter()
    for employer in s.employers:
        plan = plan_postings(employer)
        if not plan:
            continue
        past = clipped_windows(employer, FIRST_POSTING_DAY + 12 * DAY, TODAY - 40 * DAY)
        n_past = sum(1 for status in plan if status in ("closed", "cancelled"))
        past_days = iter(sorted(spread_days(s, past, n_past))) if n_past else iter(())
        for index, status in enumerate(plan):
            open_day = next(past_days) if status in ("closed", "cancelled") else None
            add_posting(s, employer, index, status, open_day, choose_brief(s, employer, use_count))
    # Ensure a few open postings can still take more students after accepting one.
    open_rows = [o for o in s.opportunities if o["status"] == "open"]
    for row in open_rows[::3]:
        row["openings"] = max(row["openings"], 2)


def add_posting(s, employer, index, status, open_day, chosen):
    spec = employer["_spec"]
    fields = dict(org=employer["name"], product=spec["product"], audience=spec["audience"],
                  region=STATE_NAMES[employer["location"].split(", ")[1]])
    hours = s.rng.randint(*chosen["hours"])
    returned = status == "draft" and employer["name"] in RETURNED_DRAFTS
    t = posting_timeline(s, status, open_day, hours, returned)
    onsite = (chosen["onsite"] and s.chance(0.6)) or s.chance(0.03)
    author = posting_author(s, employer, t["created"])
    row = s.add("opportunities", id=make_id("opportunity", employer["name"], index),
                employer_id=employer["id"], title=chosen["title"].format(**fields),
                description=chosen["text"].format(**fields), category=chosen["category"],
                skills=",".join(chosen["skills"]), hours=hours, fee_cents=fee_cents(s, hours), currency="USD",
                remote=not onsite, location=employer["location"] if onsite else None,
                apply_by=t["apply_by"], due_by=t["due_by"],
                openings=s.weighted([(1, 70), (2, 22), (3, 8)]),
                status=status, review_note=RETURNED_DRAFTS.get(employer["name"]) if returned else None,
                created_by=author["id"], submitted_at=t["submitted"], opened_at=t["opened"], closed_at=t["closed"],
                created_at=t["created"], updated_at=t["updated"],
                _employer=employer, _open_day=t["open_day"], _author=author,
                **eligibility(s, chosen["category"], t["open_day"]))
    s.opportunities.append(row)


# =======================================================================================
# Applications and engagements
# =======================================================================================

def split_tags(text):
    return [t for t in text.split(",") if t]


def eligible(student, opp):
    colleges, majors = split_tags(opp["eligible_colleges"]), split_tags(opp["eligible_majors"])
    years = [int(y) for y in split_tags(opp["eligible_class_years"])]
    return ((not colleges or student["college"] in colleges) and (not majors or student["major"] in majors)
            and (not years or student["class_year"] in years))


def study_level(student, on):
    years_left = (student["_grad"] - on).days / 365.0
    if years_left < 0:
        return "recent graduate"
    return "senior" if years_left < 1 else "junior" if years_left < 2 else "sophomore"


SKILL_WORDS = {"sql": "SQL", "r": "R", "spss": "SPSS", "seo": "SEO", "gis": "GIS", "cad": "CAD", "matlab": "MATLAB",
               "python": "Python", "java": "Java", "javascript": "JavaScript", "git": "Git", "excel": "Excel",
               "stata": "Stata", "tableau": "Tableau", "power-bi": "Power BI", "figma": "Figma", "epic": "Epic",
               "adobe-illustrator": "Adobe Illustrator", "google-analytics": "Google Analytics",
               "quickbooks": "QuickBooks", "solidworks": "SolidWorks", "autocad": "AutoCAD"}


def skill_words(tag):
    """A skill tag as it reads in a sentence: google-analytics -> Google Analytics."""
    return SKILL_WORDS.get(tag, tag.replace("-", " "))


def course_code(s, major):
    return f"{MAJORS[major][1]} {s.pick(COURSE_NUMBERS)}"


def application_statement(s, student, opp, on):
    major = student["major"]
    article = "an" if major[0] in "AEIOU" else "a"
    values = dict(level=study_level(student, on), major=major, a_major=f"{article} {major}", course=course_code(s, major),
                  skill=skill_words(s.pick(MAJORS[major][2])), org=opp["_employer"]["name"],
                  hpw=s.pick([6, 8, 10, 12]))
    evidence = s.rng.sample(APPLY_EVIDENCE[opp["category"]], s.rng.randint(1, 2))
    sentences = [s.pick(APPLY_OPENERS)] + evidence
    if len(sentences) < 3 or s.chance(0.5):
        sentences.append(s.pick(APPLY_CLOSERS))
    return " ".join(sentences).format(**values)


def pick_applicants(s, opp, count, pool):
    """Weighted sample without replacement: majors that fit the category, and students with fewer applications."""
    fitting = CATEGORY_MAJORS[opp["category"]]
    chosen, pool = [], list(pool)
    while pool and len(chosen) < count:
        weights = [(3.0 if st["major"] in fitting else 1.0) / (1 + 0.6 * st["_applications"]) for st in pool]
        student = s.rng.choices(pool, weights)[0]
        pool.remove(student)
        chosen.append(student)
    return chosen


def applicant_pool(s, opp):
    return [st for st in s.students if active_student(st, opp["_open_day"]) and eligible(st, opp)]


def gen_applications(s):
    for st in s.students:
        st["_applications"] = 0
    s.applications = []
    for opp in s.opportunities:
        if opp["opened_at"] is None:
            continue
        status = opp["status"]
        if status == "closed":
            count = s.rng.randint(max(opp["openings"] + 1, 3), 7)
        elif status == "open":
            count = s.rng.randint(2, 7)
        else:
            count = s.rng.randint(0, 3)
        pool = applicant_pool(s, opp)
        if len(pool) < count and any(opp[k] for k in ("eligible_colleges", "eligible_majors", "eligible_class_years")):
            opp["eligible_colleges"] = opp["eligible_majors"] = opp["eligible_class_years"] = ""
            pool = applicant_pool(s, opp)
        apps = [new_application(s, opp, st) for st in pick_applicants(s, opp, count, pool)]
        apps.sort(key=lambda a: a["created_at"])
        {"closed": decide_closed, "open": decide_open, "cancelled": decide_cancelled}[status](s, opp, apps)


def new_application(s, opp, student):
    last_day = opp["apply_by"] - DAY if opp["status"] == "closed" else TODAY - DAY
    if opp["status"] == "cancelled":
        last_day = opp["updated_at"].date() - DAY
    created = s.time_on(s.day_between(opp["_open_day"], max(opp["_open_day"], last_day)))
    created = max(created, opp["opened_at"] + dt.timedelta(minutes=s.rng.randint(20, 600)))
    student["_applications"] += 1
    student["_activity"].append(created)
    row = s.add("applications", id=make_id("application", opp["id"], student["student_number"]),
                opportunity_id=opp["id"], student_id=student["id"],
                statement=application_statement(s, student, opp, created.date()), status="submitted",
                decision_message=None, decided_at=None, created_at=created, updated_at=created,
                _opp=opp, _student=student)
    s.applications.append(row)
    return row


def set_status(app, status, at, message=None):
    app["status"] = status
    app["decided_at"] = at
    app["decision_message"] = message
    app["updated_at"] = at


def decide_closed(s, opp, apps):
    """A closed posting: every application reached a final state; accepted never exceeds openings."""
    roll = s.rng.random()
    accepted = 0 if roll < 0.05 else opp["openings"] - 1 if roll < 0.15 and opp["openings"] >= 2 else opp["openings"]
    accepted = min(accepted, len(apps))
    declined = 1 if len(apps) > accepted and s.chance(0.15) else 0
    review = min(opp["apply_by"] + s.rng.randint(1, 6) * DAY, TODAY - 2 * DAY)
    fitting = CATEGORY_MAJORS[opp["category"]]
    order = sorted(apps, key=lambda a: (a["_student"]["major"] not in fitting, s.rng.random()))
    for n, app in enumerate(order):
        offered = s.time_on(review)
        if n < accepted + declined:
            status = "accepted" if n < accepted else "declined"
            at = s.later(offered, 4, 60) if status == "accepted" else s.later(offered, 20, 72)
            set_status(app, status, at, s.pick(DECISION_OFFERED))
        elif s.chance(0.15):
            hours_left = (opp["apply_by"] - app["created_at"].date()).days * 24
            set_status(app, "withdrawn", s.later(app["created_at"], 24, max(25, hours_left)))
        else:
            set_status(app, "rejected", s.time_on(review + s.rng.randint(0, 3) * DAY), s.pick(DECISION_REJECTED))


def decide_open(s, opp, apps):
    """An open posting: applications in every state; fewer accepted than openings (else it would be closed)."""
    can_accept = opp["openings"] - 1
    for app in apps:
        if app["created_at"] > NOW - 3 * DAY:
            continue  # too recent to have been reviewed
        if can_accept > 0 and s.chance(0.5):
            offered = s.later(app["created_at"], 24, 24 * 6)
            set_status(app, "accepted", s.later(offered, 3, 48), s.pick(DECISION_OFFERED))
            can_accept -= 1
            continue
        status = s.weighted([("submitted", 40), ("shortlisted", 24), ("rejected", 14), ("withdrawn", 8), ("offered", 8)])
        if status == "shortlisted":
            app["status"], app["updated_at"] = "shortlisted", s.later(app["created_at"], 20, 24 * 5)
        elif status == "offered":
            set_status(app, "offered", s.later(app["created_at"], 24, 24 * 7), s.pick(DECISION_OFFERED))
        elif status == "rejected":
            set_status(app, "rejected", s.later(app["created_at"], 24, 24 * 8), s.pick(DECISION_REJECTED))
        elif status == "withdrawn":
            set_status(app, "withdrawn", s.later(app["created_at"], 12, 24 * 6))


def decide_cancelled(s, opp, apps):
    for app in apps:
        if s.chance(0.2):
            set_status(app, "withdrawn", s.later(app["created_at"], 6, 48, limit=opp["updated_at"]))
        else:
            set_status(app, "rejected", opp["updated_at"], DECISION_CANCELLED)


def gen_engagements(s):
    s.engagements = []
    for app in s.applications:
        if app["status"] != "accepted":
            continue
        opp = app["_opp"]
        started = app["decided_at"].date()
        assert started < opp["due_by"], (opp["title"], started, opp["due_by"])
        row = s.add("engagements", id=make_id("engagement", app["id"]), application_id=app["id"],
                    opportunity_id=opp["id"], student_id=app["student_id"], employer_id=opp["employer_id"],
                    status="active", started_on=started, due_on=opp["due_by"], deliverable_url=None,
                    deliverable_note=None, submitted_on=None, completed_on=None, rating=None, feedback=None,
                    student_rating=None, student_feedback=None, amount_paid_cents=None, paid_on=None,
                    cancel_requested_by=None, cancel_reason=None, created_at=app["decided_at"],
                    updated_at=app["decided_at"], _app=app, _opp=opp, _student=app["_student"])
        progress_engagement(s, row)
        s.engagements.append(row)


def engagement_status(s, due_on, started):
    if due_on < TODAY - 25 * DAY:
        return s.weighted([("completed", 92), ("cancelled", 8)])
    if due_on < TODAY:
        return s.weighted([("completed", 45), ("submitted", 30), ("revision_requested", 15), ("cancelled", 10)])
    if started > TODAY - 4 * DAY:
        return "active"
    return s.weighted([("active", 70), ("submitted", 20), ("revision_requested", 10)])


def progress_engagement(s, e):
    status = engagement_status(s, e["due_on"], e["started_on"])
    opp, last = e["_opp"], TODAY - DAY
    if status == "cancelled":
        who, reason = s.pick(CANCEL_REASONS)
        author = e["_student"]["_user"] if who == "student" else opp["_author"]
        at = s.time_on(min(e["started_on"] + s.rng.randint(2, 10) * DAY, e["due_on"] - DAY, last))
        at = max(at, s.later(e["created_at"], 2, 30))
        e.update(status="cancelled", cancel_requested_by=author["id"], cancel_reason=reason, updated_at=at)
        return
    if status == "active":
        return
    earliest = e["started_on"] + max(2, opp["hours"] // 6) * DAY
    submitted = max(earliest, e["due_on"] - s.rng.randint(0, 6) * DAY)
    if s.chance(0.05):
        submitted = e["due_on"] + s.rng.randint(1, 4) * DAY  # a late delivery
    submitted = min(submitted, last - DAY)
    if submitted <= e["started_on"]:
        return  # too early to have delivered anything: stays active
    e.update(status=status, submitted_on=submitted, updated_at=s.time_on(submitted),
             deliverable_url=f"https://files.example.com/d/{uuid.UUID(e['id']).hex[:12]}",
             deliverable_note=f"Final {DELIVERABLES[opp['category']]} attached; the first page explains the approach and assumptions.")
    if status != "completed":
        return
    completed = min(submitted + s.rng.randint(1, 7) * DAY, last)
    late = submitted > e["due_on"]
    rating = s.weighted([(5, 48), (4, 36), (3, 11), (2, 4), (1, 1)] if not late else [(4, 30), (3, 50), (2, 20)])
    e.update(completed_on=completed, rating=rating,
             feedback=s.pick(FEEDBACK[rating]).format(d=DELIVERABLES[opp["category"]]),
             updated_at=s.time_on(completed))
    if s.chance(0.8):
        e["student_rating"] = s.weighted([(5, 50), (4, 35), (3, 12), (2, 3)])
        e["student_feedback"] = s.pick(STUDENT_FEEDBACK)
    if s.chance(0.97 if completed <= TODAY - 30 * DAY else 0.4):  # recent work may still await payment
        paid = min(completed + s.rng.randint(3, 18) * DAY, last)
        e.update(amount_paid_cents=opp["fee_cents"], paid_on=paid, updated_at=s.time_on(paid))


# =======================================================================================
# Endorsements and endorsement requests
# =======================================================================================

ENDORSEMENTS_TOTAL = 150
REVOKED = 5
REQUEST_MIX = [("fulfilled", 18), ("pending", 12), ("declined", 6), ("cancelled", 4)]


def endorsement_window(student):
    return LAUNCH + 14 * DAY, min(student["_grad"] + 20 * DAY, TODAY - DAY)


def choose_faculty(s, student):
    same_dept = [f for f in s.faculty if f["department"] == student["major"]]
    if same_dept and s.chance(0.75):
        return s.pick(same_dept)
    same_college = [f for f in s.faculty if MAJORS[f["department"]][0] == student["college"]]
    return s.pick(same_college)


def relationship_for(s, faculty, student):
    if faculty["title"] == "Academic Advisor":
        return "advising"
    if faculty["department"] == student["major"]:
        return s.weighted([("course", 60), ("research", 22), ("advising", 12), ("other", 6)])
    return s.weighted([("course", 50), ("research", 25), ("other", 25)])


def endorsement_statement(s, student, relationship, course, skills, on):
    first = student["_first"]
    skills = s.rng.sample(skills, 2)
    values = dict(first=first, course=course, term=term_label(on - s.rng.randint(60, 300) * DAY, on),
                  n=s.rng.randint(24, 60), task=s.pick(RESEARCH_TASKS),
                  skill1=skill_words(skills[0]), skill2=skill_words(skills[1]))
    sentences = [s.pick(ENDORSE_OPENERS[relationship])]
    sentences += s.rng.sample(ENDORSE_MIDDLES, s.rng.randint(1, 2))
    sentences.append(s.pick(ENDORSE_CLOSERS))
    return " ".join(sentences).format(**values)


def add_endorsement(s, faculty, student, created):
    relationship = relationship_for(s, faculty, student)
    course = course_code(s, faculty["department"]) if relationship == "course" else None
    skills = sorted(s.rng.sample(MAJORS[student["major"]][2], s.rng.randint(2, 3)))
    row = s.add("endorsements", id=make_id("endorsement", faculty["_user"]["email"], student["student_number"]),
                faculty_id=faculty["id"], student_id=student["id"], skills=",".join(skills),
                statement=endorsement_statement(s, student, relationship, course or "", skills, created.date()),
                relationship=relationship, course=course, revoked_at=None, created_at=created, updated_at=created,
                _student=student, _faculty=faculty)
    s.endorsements.append(row)
    return row


def gen_endorsement_requests(s, pairs):
    users = [st for st in s.students if st["_user"]]
    current = [st for st in users if st["class_year"] > TODAY.year]
    s.requests = []
    for status, count in REQUEST_MIX:
        made = 0
        while made < count:
            student = s.pick(current if status == "pending" else users)
            faculty = choose_faculty(s, student)
            if (faculty["id"], student["id"]) in pairs:
                continue
            if status == "pending":
                created = s.time_on(s.day_between(TODAY - 21 * DAY, TODAY - DAY))
            else:
                start, end = endorsement_window(student)
                if start > end - 14 * DAY:
                    continue
                created = s.time_on(s.day_between(start, end - 14 * DAY))
            pairs.add((faculty["id"], student["id"]))
            student["_activity"].append(created)
            add_request(s, student, faculty, status, created, made)
            made += 1


def add_request(s, student, faculty, status, created, n):
    message = s.pick(REQUEST_MESSAGES).format(last=faculty["_last"], first_f=faculty["_first"],
                                              area=MAJORS[student["major"]][6])
    row = s.add("endorsement_requests", id=make_id("endorsement_request", student["student_number"],
                                                   faculty["_user"]["email"]),
                student_id=student["id"], faculty_id=faculty["id"], message=message, status=status,
                endorsement_id=None, responded_at=None, created_at=created, updated_at=created,
                _student=student, _faculty=faculty)
    if status in ("fulfilled", "declined"):
        row["responded_at"] = row["updated_at"] = s.later(created, 20, 24 * 12)
    elif status == "cancelled":
        row["updated_at"] = s.later(created, 10, 24 * 7)
    if status == "fulfilled":
        row["endorsement_id"] = add_endorsement(s, faculty, student, row["responded_at"])["id"]
    s.requests.append(row)


def gen_endorsements(s):
    s.endorsements = []
    pairs = set()
    gen_endorsement_requests(s, pairs)
    from_requests = {r["endorsement_id"] for r in s.requests if r["endorsement_id"]}
    candidates = [st for st in s.students if endorsement_window(st)[0] <= endorsement_window(st)[1]]
    weights = [(3 + st["_applications"]) if st["_user"] else 1 for st in candidates]
    while len(s.endorsements) < ENDORSEMENTS_TOTAL:
        student = s.rng.choices(candidates, weights)[0]
        faculty = choose_faculty(s, student)
        if (faculty["id"], student["id"]) in pairs:
            continue
        pairs.add((faculty["id"], student["id"]))
        add_endorsement(s, faculty, student, s.time_on(s.day_between(*endorsement_window(student))))
    for row in s.rng.sample([e for e in s.endorsements if e["id"] not in from_requests], REVOKED):
        row["revoked_at"] = row["updated_at"] = s.later(row["created_at"], 24 * 20, 24 * 200)


def gen_application_endorsements(s):
    by_student = defaultdict(list)
    for e in s.endorsements:
        if e["revoked_at"] is None:
            by_student[e["student_id"]].append(e)
    for app in s.applications:
        usable = [e for e in by_student[app["student_id"]] if e["created_at"] < app["created_at"]]
        if not usable or not s.chance(0.55):
            continue
        for e in s.rng.sample(usable, 2 if len(usable) >= 2 and s.chance(0.3) else 1):
            s.add("application_endorsements", id=make_id("application_endorsement", app["id"], e["id"]),
                  application_id=app["id"], endorsement_id=e["id"], created_at=app["created_at"],
                  updated_at=app["created_at"])


# =======================================================================================
# Offers (conversions) and first-destination outcomes
# =======================================================================================

OFFERS_GRADUATED = 12
OFFERS_CURRENT = 13
OFFERS_EXTENDED = 2


def salary_cents(s, major, factor=1.0):
    low, high = MAJORS[major][4]
    return int(round(s.rng.uniform(low, high) * factor * 1000 / 500) * 500) * 100


def next_june(d):
    return dt.date(d.year if d.month < 5 else d.year + 1, 6, 1)


def add_outcome(s, student, category, known_on, n, **fields):
    row = dict(employer_id=None, organization=None, job_title=None, employment_type=None, start_on=None,
               annual_salary_cents=None, currency="USD", source="survey", is_primary=True, offer_on=None,
               accepted_on=None, engagement_id=None, recorded_by=None)
    row.update(fields)
    created = s.time_on(known_on)
    out = s.add("outcomes", id=make_id("outcome", student["student_number"], n), student_id=student["id"],
                category=category, known_on=known_on, created_at=created, updated_at=created, _student=student, **row)
    student.setdefault("_outcomes", []).append(out)
    return out


def offer_candidates(s):
    graduated, current = [], []
    for e in s.engagements:
        st = e["_student"]
        if e["status"] != "completed" or e["rating"] < 4:
            continue
        if st["class_year"] > TODAY.year:
            current.append(e)
        elif st["_grad"] - 330 * DAY <= e["completed_on"] <= st["_grad"] + 90 * DAY:
            graduated.append(e)
    s.rng.shuffle(graduated)
    s.rng.shuffle(current)
    return graduated, current


def gen_offers(s):
    graduated, current = offer_candidates(s)
    s.offers, seen = [], set()
    # A couple of recent offers are still waiting for the student's answer.
    recent = [e for e in current if TODAY - 120 * DAY <= e["completed_on"] <= TODAY - 12 * DAY]
    for e in recent[:OFFERS_EXTENDED]:
        seen.add(e["student_id"])
        add_offer(s, e, False, status="extended")
    for pool, target in ((graduated, OFFERS_GRADUATED), (current, OFFERS_CURRENT - min(len(recent), OFFERS_EXTENDED))):
        made = 0
        for e in pool:
            if made == target:
                break
            if e["student_id"] in seen or e["completed_on"] > TODAY - 12 * DAY:
                continue
            seen.add(e["student_id"])
            add_offer(s, e, pool is graduated)
            made += 1


def add_offer(s, e, graduated, status=None):
    opp, st = e["_opp"], e["_student"]
    offer_on = min(e["completed_on"] + s.rng.randint(10, 45 if graduated else 40) * DAY, TODAY - 2 * DAY)
    if status == "extended":  # an offer still waiting for an answer is recent
        offer_on = s.day_between(max(e["completed_on"] + 7 * DAY, TODAY - 30 * DAY), TODAY - 2 * DAY)
    full_title, intern_title = OFFER_TITLES[opp["category"]]
    if graduated:
        kind, job_title = "full_time", full_title
        status = s.weighted([("accepted", 75), ("declined", 15), ("extended", 10)])
    else:
        kind = s.weighted([("internship", 65), ("part_time", 35)])
        job_title = intern_title if kind == "internship" else f"{full_title} (part-time)"
        status = status or s.weighted([("accepted", 55), ("declined", 20), ("extended", 25)])
    if status == "extended" and offer_on < TODAY - 35 * DAY:
        status = "accepted" if s.chance(0.7) else "declined"
    decided = None if status == "extended" else min(offer_on + s.rng.randint(3, 12) * DAY, TODAY - DAY)
    created = s.time_on(offer_on)
    row = s.add("offers", id=make_id("offer", e["id"]), engagement_id=e["id"], employer_id=e["employer_id"],
                student_id=st["id"], kind=kind, job_title=job_title, offer_on=offer_on, status=status,
                decided_on=decided, outcome_id=None, created_at=created,
                updated_at=s.time_on(decided) if decided else created, _engagement=e)
    s.offers.append(row)
    if status == "accepted":
        row["outcome_id"] = conversion_outcome(s, row, e, graduated)["id"]


def conversion_outcome(s, offer, e, graduated):
    st, employer = e["_student"], e["_opp"]["_employer"]
    decided = offer["decided_on"]
    common = dict(employer_id=employer["id"], organization=employer["name"], job_title=offer["job_title"],
                  source="conversion", offer_on=offer["offer_on"], accepted_on=decided, engagement_id=e["id"])
    if graduated:  # a first destination
        start = max(st["_grad"] + s.rng.randint(20, 75) * DAY, decided + s.rng.randint(14, 40) * DAY)
        return add_outcome(s, st, "employed_full_time", decided, 0, employment_type="standard", start_on=start,
                           annual_salary_cents=salary_cents(s, st["major"], 1.05), is_primary=True, **common)
    # A current student's internship or part-time job: recorded, but not a first destination.
    if offer["kind"] == "internship":
        start, pay = next_june(decided), s.rng.randint(20, 28) * 2080
    else:
        start, pay = decided + s.rng.randint(7, 21) * DAY, s.rng.randint(18, 25) * 1040
    return add_outcome(s, st, "employed_part_time", decided, 0, employment_type="temporary_contract",
                       start_on=start, annual_salary_cents=pay * 100, is_primary=False, **common)


def category_quota(count):
    """Category list of length count, by CATEGORY_SHARES, every category at least once."""
    quota = {cat: max(1, round(share * count)) for cat, share in CATEGORY_SHARES}
    quota["employed_full_time"] += count - sum(quota.values())
    return [cat for cat, _ in CATEGORY_SHARES for _ in range(quota[cat])]


def employment_types(s, categories):
    """Employment types for the employed rows: mostly standard, every other type present."""
    full = categories.count("employed_full_time")
    part = categories.count("employed_part_time")
    ft = ["entrepreneur", "temporary_contract", "temporary_contract", "freelance", "postgrad_internship_fellowship",
          "postgrad_internship_fellowship", "postgrad_internship_fellowship"]
    ft += ["standard"] * (full - len(ft))
    pt = (["standard", "temporary_contract", "freelance", "entrepreneur"] * part)[:part]
    s.rng.shuffle(ft)
    s.rng.shuffle(pt)
    return {"employed_full_time": ft, "employed_part_time": pt}


def outcome_source(s, student, employer):
    if employer is not None:
        source = s.weighted([("employer", 60), ("survey", 40)])
    else:
        source = s.weighted([("survey", 66), ("counselor", 14), ("faculty", 8), ("public_profile", 12)])
    if source == "employer":
        recorder = employer["_recruiters"][0]["_user"] if employer["_recruiters"] else employer["_owner"]
    elif source in ("counselor", "public_profile"):
        recorder = s.pick(s.counselors)
    elif source == "faculty":
        recorder = choose_faculty(s, student)["_user"]
    else:
        recorder = None
    return source, recorder["id"] if recorder else None


def employment_fields(s, student, category, emp_type, known_on):
    major = student["major"]
    employer = None
    if emp_type in ("standard", "temporary_contract") and s.chance(0.2):
        employer = s.pick([e for e in s.employers if e["_status"] != "prospect"])
    organization = employer["name"] if employer else s.pick(OTHER_EMPLOYERS[student["college"]])
    job_title = s.pick(MAJORS[major][5])
    factor = {"standard": 1.0, "temporary_contract": 0.85, "freelance": 0.6, "entrepreneur": 0.5,
              "postgrad_internship_fellowship": 0.75}[emp_type]
    if emp_type == "entrepreneur":
        organization = f"{student['_last']} {s.pick(['Studio', 'Labs', 'Consulting', 'Creative', 'Analytics'])}"
        job_title = "Founder"
    elif emp_type == "freelance":
        organization, job_title = "Self-employed", f"Freelance {job_title}"
    elif emp_type == "postgrad_internship_fellowship":
        job_title = s.pick(["Postgraduate Fellow", "Research Fellow", "Fellow"])
    if category == "employed_part_time":
        factor *= 0.5
    offer_on = known_on - s.rng.randint(10, 70) * DAY
    accepted = min(offer_on + s.rng.randint(2, 14) * DAY, known_on)
    source, recorder = outcome_source(s, student, employer)
    return dict(employer_id=employer["id"] if employer else None, organization=organization, job_title=job_title,
                employment_type=emp_type, annual_salary_cents=salary_cents(s, major, factor), offer_on=offer_on,
                accepted_on=accepted, start_on=max(student["_grad"] + s.rng.randint(14, 75) * DAY,
                                                   accepted + s.rng.randint(10, 35) * DAY),
                source=source, recorded_by=recorder)


def destination_fields(s, student, category, emp_type, known_on):
    if category in ("employed_full_time", "employed_part_time"):
        return employment_fields(s, student, category, emp_type, known_on)
    source, recorder = outcome_source(s, student, None)
    fields = dict(source=source, recorded_by=recorder)
    grad = student["_grad"]
    if category == "military":
        organization, title = s.pick(MILITARY)
        fields.update(organization=organization, job_title=title, start_on=grad + s.rng.randint(30, 120) * DAY)
    elif category == "volunteer_service":
        organization, title = s.pick(SERVICE)
        fields.update(organization=organization, job_title=title, start_on=grad + s.rng.randint(30, 100) * DAY)
    elif category == "continuing_education":
        start = dt.date(grad.year + 1, 1, 12) if grad.month == 12 else dt.date(grad.year, 8, 25)
        fields.update(organization=s.pick(GRAD_SCHOOLS), start_on=start)
    return fields


def known_day(s, student, limit):
    grad = student["_grad"]
    return s.day_between(grad, min(grad + 180 * DAY, limit))


def gen_outcomes(s):
    for cohort in GRADUATED_COHORTS:
        members = [st for st in s.students if st["class_year"] == cohort]
        counts_by = dt.date(cohort, 12, 31)
        known_already = [st for st in members if any(o["known_on"] <= counts_by for o in st.get("_outcomes", []))]
        unknown = [st for st in members if st not in known_already]
        target = round(KNOWLEDGE_TARGET[cohort] * len(members))
        chosen = s.rng.sample(unknown, target - len(known_already))
        categories = category_quota(len(chosen))
        s.rng.shuffle(categories)
        types = employment_types(s, categories)
        for student, category in zip(chosen, categories):
            emp_type = types[category].pop() if category in types else None
            known_on = known_day(s, student, min(counts_by, TODAY - DAY))
            add_outcome(s, student, category, known_on, 0, is_primary=True,
                        **destination_fields(s, student, category, emp_type, known_on))
        add_second_outcomes(s, chosen)
        # A handful learnt after December 31: recorded, but they do not count for the cohort.
        late = [st for st in unknown if st not in chosen and st["_grad"].month in (5, 6)]
        if counts_by < TODAY:
            for student in s.rng.sample(late, 4):
                known_on = s.day_between(counts_by + 5 * DAY, counts_by + 110 * DAY)
                category = s.pick(["employed_full_time", "employed_full_time", "seeking_employment"])
                emp_type = "standard" if category == "employed_full_time" else None
                add_outcome(s, student, category, known_on, 0, is_primary=True,
                            **destination_fields(s, student, category, emp_type, known_on))


def add_second_outcomes(s, chosen):
    """A few graduates have two records: an earlier secondary one and their primary outcome."""
    employed = [st for st in chosen if st["_outcomes"][0]["category"] == "employed_full_time"
                and st["_outcomes"][0]["known_on"] >= st["_grad"] + 30 * DAY]
    for student in s.rng.sample(employed, min(4, len(employed))):
        primary = student["_outcomes"][0]
        known_on = s.day_between(student["_grad"] + 7 * DAY, primary["known_on"] - 14 * DAY)
        add_outcome(s, student, "seeking_employment", known_on, 1, is_primary=False, source="survey")
    studying = [st for st in chosen if st["_outcomes"][0]["category"] == "continuing_education"]
    for student in s.rng.sample(studying, min(2, len(studying))):
        known_on = student["_outcomes"][0]["known_on"]
        add_outcome(s, student, "employed_part_time", known_on, 1, is_primary=False,
                    **employment_fields(s, student, "employed_part_time", "standard", known_on))


# =======================================================================================
# Virtual fairs, sessions and registrations
# =======================================================================================

def at_time(text):
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M:%S")


def gen_fairs(s):
    s.sessions = []
    organizer = s.counselors[2]
    for spec in FAIRS:
        created = s.time_on(day(spec["created"]))
        updated = s.time_on(day(spec["closed"] or spec["published"]))
        fair = s.add("fairs", id=make_id("fair", spec["name"]), name=spec["name"], description=spec["description"],
                     starts_at=at_time(spec["start"]), ends_at=at_time(spec["end"]), status=spec["status"],
                     created_by=organizer["id"], created_at=created, updated_at=updated)
        first_day = fair["starts_at"].date()
        # Each calendar day of the fair has the same hours (its first day's start to its
        # last day's end): sessions must fall inside one day, never across the night.
        fair["_days"] = []
        for n in range((fair["ends_at"].date() - first_day).days + 1):
            d = first_day + n * DAY
            starts = dt.datetime.combine(d, fair["starts_at"].time())
            ends = dt.datetime.combine(d, fair["ends_at"].time())
            fair["_days"].append(s.add("fair_days", id=make_id("fair_day", fair["name"], d), fair_id=fair["id"],
                                       starts_at=starts, ends_at=ends, created_at=fair["created_at"],
                                       updated_at=fair["created_at"]))
        published = day(spec["published"])
        for employer, title, day_index, start, minutes, capacity in spec["groups"]:
            starts = at_time(f"{first_day + day_index * DAY} {start}:00")
            cancelled = spec["cancelled_group"]
            cancelled_on = day(cancelled[1]) if cancelled and cancelled[0] == title else None
            created = s.time_on(published + s.rng.randint(0, 8) * DAY)
            add_session(s, fair, spec, employer, "group", title, starts, minutes, capacity, None, created, cancelled_on)
        for employer, title, day_index, start, minutes, slots in spec["series"]:
            series = make_id("series", fair["name"], title)
            starts = at_time(f"{first_day + day_index * DAY} {start}:00")
            created = s.time_on(published + s.rng.randint(0, 8) * DAY)
            cancelled = spec["cancelled_slot"]
            for n in range(slots):
                cancelled_on = day(cancelled[2]) if cancelled and cancelled[:2] == (title, n) else None
                add_session(s, fair, spec, employer, "one_on_one", title, starts + dt.timedelta(minutes=minutes * n),
                            minutes, 1, series, created, cancelled_on)


def add_session(s, fair, spec, employer_name, kind, title, starts, minutes, capacity, series, created, cancelled_on):
    employer = s.employer_by_name[employer_name]
    assert employer["_status"] == "active", employer_name
    host = next(r for r in employer["_recruiters"] if not r["_user"]["disabled"])
    ends = starts + dt.timedelta(minutes=minutes)
    assert any(d["starts_at"] <= starts and ends <= d["ends_at"] for d in fair["_days"]), title
    if kind == "group":
        description = s.pick(SESSION_BLURBS)
    else:
        description = f"A {minutes}-minute video call with {host['_user']['display_name']} ({host['title']})."
    code = uuid.uuid5(NAMESPACE, f"{title}/{starts}").hex[:10]
    row = s.add("fair_sessions", id=make_id("fair_session", fair["name"], title, starts), fair_id=fair["id"],
                employer_id=employer["id"], host_id=host["id"], kind=kind, series_id=series, title=title,
                description=description, starts_at=starts, ends_at=ends, capacity=capacity,
                meeting_url=f"https://meet.example.com/{ascii_slug(employer_name)[:14]}-{code}",
                status="scheduled", sequence=0, created_at=created, updated_at=created,
                _fair=fair, _spec=spec, _employer=employer, _host=host)
    if cancelled_on:
        # Cancelling bumps the calendar SEQUENCE so attendees get a METHOD:CANCEL update.
        row.update(status="cancelled", sequence=1, updated_at=s.time_on(cancelled_on))
    s.sessions.append(row)


def fair_audience(s):
    """Students who register for fair sessions: current students and recent (class of 2026) graduates."""
    return [st for st in s.students if st["_user"] and st["class_year"] >= 2026]


def gen_registrations(s):
    audience = fair_audience(s)
    series_taken = defaultdict(set)
    for session in s.sessions:
        spec = session["_spec"]
        past = session["_fair"]["status"] == "closed"
        if session["kind"] == "group":
            full = session["title"] in spec["full"]
            if full:
                demand = session["capacity"] + s.rng.randint(6, 10)
            else:
                demand = int(session["capacity"] * s.rng.uniform(0.45, 0.95))
            students = s.rng.sample(audience, min(demand, len(audience)))
        else:
            taken = series_taken[session["series_id"]]
            free = [st for st in audience if st["id"] not in taken]
            demand = s.weighted([(0, 20), (1, 65), (2, 15)]) if not past else s.weighted([(0, 25), (1, 75)])
            students = s.rng.sample(free, demand)
            taken.update(st["id"] for st in students)
        register(s, session, students, past)


def register(s, session, students, past):
    window_end = min(session["starts_at"] - dt.timedelta(hours=2), NOW - 2 * DAY)
    if session["status"] == "cancelled":
        window_end = session["updated_at"] - dt.timedelta(hours=3)
    start = session["created_at"] + dt.timedelta(hours=2)
    span = max(60, int((window_end - start).total_seconds() // 60))
    rows = []
    for st in students:
        created = start + dt.timedelta(minutes=s.rng.randint(0, span), seconds=s.rng.randint(0, 59))
        st["_activity"].append(created)
        rows.append(s.add("registrations", id=make_id("registration", session["id"], st["student_number"]),
                          session_id=session["id"], student_id=st["id"], status="registered", waitlist_position=None,
                          attended_at=None, cancelled_at=None, sequence=0, created_at=created, updated_at=created,
                          _session=session, _student=st, _promoted=False))
    rows.sort(key=lambda r: r["created_at"])
    waitlist = rows[session["capacity"]:]
    for r in waitlist:
        r["status"] = "waitlisted"
    cancel_some(s, session, rows, waitlist, window_end)
    for position, r in enumerate(waitlist, 1):
        r["waitlist_position"] = position
    if session["status"] == "cancelled":
        for r in rows:
            if r["status"] != "cancelled":
                r.update(status="cancelled", waitlist_position=None, cancelled_at=session["updated_at"],
                         sequence=1, updated_at=session["updated_at"])
    elif past:
        mark_attendance(s, session, rows)


def cancel_some(s, session, rows, waitlist, window_end):
    """Some registrants cancel; each freed seat goes to the first student on the waitlist (FIFO)."""
    last_created = max((r["created_at"] for r in rows), default=window_end)
    for r in list(rows):
        if r["status"] == "cancelled" or not s.chance(0.08):
            continue
        at = s.later(max(r["created_at"], last_created), 1, 48, limit=window_end)
        was_registered = r["status"] == "registered"
        if r in waitlist:
            waitlist.remove(r)
        r.update(status="cancelled", cancelled_at=at, sequence=1, updated_at=at)
        if was_registered and waitlist:
            promoted = waitlist.pop(0)
            promoted.update(status="registered", updated_at=at, _promoted=True)


def mark_attendance(s, session, rows):
    for r in rows:
        if r["status"] == "registered" and s.chance(0.84):
            r["attended_at"] = session["starts_at"] + dt.timedelta(minutes=s.rng.randint(0, 6), seconds=s.rng.randint(0, 59))
            r["updated_at"] = r["attended_at"]


# =======================================================================================
# Notifications (portal inbox)
# =======================================================================================

NOTIFICATIONS_PER_KIND = 6


def notification_items(s):
    """(created_at, user, kind, title, body, link) for recent events in the demo data."""
    items = []
    for app in s.applications:
        opp, user = app["_opp"], app["_student"]["_user"]
        employer = opp["_employer"]["name"]
        if app["status"] == "shortlisted":
            items.append((app["updated_at"], user, "application_shortlisted", f"Shortlisted: {opp['title']}",
                          f"{employer} shortlisted your application and may contact you to schedule a short call.",
                          f"/applications/{app['id']}"))
        elif app["status"] == "offered":
            items.append((app["decided_at"], user, "application_offered", f"Project offer: {opp['title']}",
                          f"{employer} would like you to take on this project. Accept or decline it from your "
                          f"application page.", f"/applications/{app['id']}"))
        elif app["status"] == "rejected" and opp["status"] == "open":
            items.append((app["decided_at"], user, "application_rejected", f"Update on {opp['title']}",
                          app["decision_message"], f"/applications/{app['id']}"))
    for e in s.engagements:
        opp, user = e["_opp"], e["_student"]["_user"]
        if e["status"] == "revision_requested":
            items.append((e["updated_at"] + dt.timedelta(days=1), user, "engagement_revision_requested",
                          f"Revision requested: {opp['title']}",
                          f"{opp['_employer']['name']} asked for changes to your deliverable. See their comments "
                          f"and resubmit before the due date.", f"/engagements/{e['id']}"))
        elif e["status"] == "submitted":
            items.append((e["updated_at"], opp["_author"], "engagement_submitted", f"Deliverable submitted: {opp['title']}",
                          f"{e['_student']['name']} submitted the deliverable. Review it, then mark the engagement "
                          f"complete or request a revision.", f"/engagements/{e['id']}"))
        if e["paid_on"]:
            items.append((s.time_on(e["paid_on"]), user, "payment_recorded", f"Payment recorded: {opp['title']}",
                          f"{opp['_employer']['name']} recorded a payment of ${e['amount_paid_cents'] // 100:,}.",
                          f"/engagements/{e['id']}"))
    for opp in s.opportunities:
        if opp["review_note"]:
            items.append((opp["updated_at"], opp["_author"], "posting_returned", f"Posting returned: {opp['title']}",
                          opp["review_note"], f"/opportunities/{opp['id']}"))
        elif opp["status"] == "pending_review":
            items.append((opp["submitted_at"], opp["_employer"]["_owner"], "posting_submitted",
                          f"New posting to review: {opp['title']}",
                          f"{opp['_employer']['name']} submitted a posting for review.", f"/opportunities/{opp['id']}"))
    for req in s.requests:
        if req["status"] == "pending":
            items.append((req["created_at"], req["_faculty"]["_user"], "endorsement_requested",
                          f"Endorsement request from {req['_student']['name']}", req["message"],
                          f"/endorsement-requests/{req['id']}"))
        elif req["status"] == "fulfilled":
            items.append((req["responded_at"], req["_student"]["_user"], "endorsement_received",
                          f"New endorsement from {req['_faculty']['_user']['display_name']}",
                          "You can share it with employers when you apply.", f"/endorsements/{req['endorsement_id']}"))
    for r in s.rows["registrations"]:
        if r["_promoted"] and r["_session"]["_fair"]["status"] == "published":
            items.append((r["updated_at"], r["_student"]["_user"], "waitlist_promoted",
                          f"You're in: {r['_session']['title']}",
                          "A seat opened up and you moved off the waitlist. Add the session to your calendar.",
                          f"/sessions/{r['session_id']}"))
    return items


def gen_notifications(s):
    by_kind = defaultdict(list)
    for item in notification_items(s):
        by_kind[item[2]].append(item)
    for kind in sorted(by_kind):
        newest = sorted(by_kind[kind], key=lambda item: item[0], reverse=True)[:NOTIFICATIONS_PER_KIND]
        for created, user, kind, title, body, link in newest:
            created = min(created, NOW)
            read_at = s.later(created, 1, 72) if created < NOW - 5 * DAY and s.chance(0.6) else None
            s.add("notifications", id=make_id("notification", kind, link, user["id"]), user_id=user["id"], kind=kind,
                  title=title[:200], body=body, link=link, read_at=read_at, created_at=created,
                  updated_at=read_at or created)


# =======================================================================================
# How each row moves to the day the data is loaded (src/seed.rs applies it)
# =======================================================================================

LIVE_POSTING = ("draft", "pending_review", "open")


def chain_is_current(s, opp, applicants, last_event):
    """Whether a posting's chain (applications, engagements, offers, conversion outcomes)
    moves with today (current) rather than by whole years (history).

    Live postings are current: their apply-by dates must stay ahead. A closed or cancelled
    posting is current only when every applicant was still a student on the reference day
    (an outcome of a graduate must keep its cohort's window, which only whole years keep;
    a current student's outcome moved with today stays before the end of their class year)
    and its employer's partnership is active and has not changed since the posting was
    made (so moving the posting later keeps it inside the active partnership)."""
    if opp["status"] in LIVE_POSTING:
        return True
    employer = opp["_employer"]
    return (all(st["_grad"] > TODAY for st in applicants) and employer["_status"] == "active"
            and last_event[employer["id"]] < opp["created_at"])


def assign_shifts(s):
    """Sets `_shift` on every row: "history" or "current" (see the module docstring)."""
    for table in MANIFEST:
        for row in s.rows[table]:
            row["_shift"] = "history"
    employer_of = {p["id"]: p["employer_id"] for p in s.rows["partnerships"]}
    last_event = defaultdict(lambda: dt.datetime.min)
    for e in s.rows["partnership_events"]:
        employer = employer_of[e["partnership_id"]]
        last_event[employer] = max(last_event[employer], e["at"])
    applicants = defaultdict(list)
    for app in s.applications:
        applicants[app["opportunity_id"]].append(app["_student"])
    chain = {}
    for opp in s.opportunities:
        opp["_shift"] = "current" if chain_is_current(s, opp, applicants[opp["id"]], last_event) else "history"
        chain[opp["id"]] = opp["_shift"]
    for table in ("applications", "engagements"):
        for row in s.rows[table]:
            row["_shift"] = chain[row["opportunity_id"]]
    by_id = {row["id"]: row for table in ("applications", "engagements", "endorsement_requests", "fair_sessions")
             for row in s.rows[table]}
    for row in s.rows["application_endorsements"]:
        row["_shift"] = by_id[row["application_id"]]["_shift"]
    for row in s.rows["offers"] + s.rows["outcomes"]:
        if row["engagement_id"]:
            row["_shift"] = by_id[row["engagement_id"]]["_shift"]
    for row in s.rows["endorsement_requests"]:
        row["_shift"] = "current" if row["status"] == "pending" else "history"
    for table in ("fairs", "fair_days", "fair_sessions", "registrations"):
        for row in s.rows[table]:
            row["_shift"] = "current"
    # A notification moves with what it is about, so it stays next to it.
    for row in s.rows["notifications"]:
        kind, _, subject = row["link"].strip("/").partition("/")
        if kind in ("applications", "engagements", "endorsement-requests", "sessions"):
            row["_shift"] = by_id[subject]["_shift"]
        elif kind == "opportunities":
            row["_shift"] = chain[subject]
    # The promise src/seed.rs relies on: no graduate's outcome moves with today.
    students = {st["id"]: st for st in s.students}
    for row in s.rows["outcomes"]:
        assert row["_shift"] == "history" or students[row["student_id"]]["_grad"] > TODAY, \
            f"outcome {row['id']} of a graduate would move with today and could leave its cohort's window"


# =======================================================================================
# Writing the files
# =======================================================================================

def cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


SHIFT_COLUMN = "_shift"


def write_seed(s):
    SEED_DIR.mkdir(exist_ok=True)
    for table in MANIFEST:
        with open(SEED_DIR / f"{table}.csv", "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(COLUMNS[table] + [SHIFT_COLUMN])
            for row in s.rows[table]:
                writer.writerow([cell(row.get(column)) for column in COLUMNS[table]] + [row[SHIFT_COLUMN]])
    lines = ["# Load order (foreign keys first). Generated by scripts/gen_seed.py; do not edit by hand."]
    lines += [f"{table}.csv" for table in MANIFEST]
    (SEED_DIR / "MANIFEST").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (SEED_DIR / "REFERENCE_DAY").write_text(
        "# The day the demo data describes; loading moves it to today (src/seed.rs).\n"
        "# Generated by scripts/gen_seed.py; do not edit by hand.\n"
        f"{TODAY.isoformat()}\n", encoding="utf-8")


def generate():
    s = Seed()
    gen_staff(s)
    gen_faculty(s)
    gen_students(s)
    gen_employers(s)
    gen_recruiters(s)
    gen_opportunities(s)
    gen_applications(s)
    gen_engagements(s)
    gen_endorsements(s)
    gen_application_endorsements(s)
    gen_offers(s)
    gen_outcomes(s)
    gen_fairs(s)
    gen_registrations(s)
    finish_student_users(s)
    gen_notifications(s)
    assign_shifts(s)
    return s


# =======================================================================================
# Verification: load into SQLite, then check what the schema cannot
# =======================================================================================

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TIMESTAMP_RE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")


def read_manifest():
    text = (SEED_DIR / "MANIFEST").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def convert(value, declared, where):
    """Check a cell against its column's declared type and convert it the way `waypoint seed` binds it."""
    declared = declared.lower()
    if declared.startswith("timestamp"):
        assert TIMESTAMP_RE.match(value), f"{where}: bad timestamp {value!r}"
        return value
    if declared == "date":
        assert DATE_RE.match(value), f"{where}: bad date {value!r}"
        dt.date.fromisoformat(value)
        return value
    if declared.startswith("bool"):
        assert value in ("true", "false"), f"{where}: bad boolean {value!r}"
        return 1 if value == "true" else 0
    if "int" in declared:
        return int(value)
    return value


def add_years(d, years):
    """d moved by whole calendar years (February 29 becomes February 28)."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)


UTC = dt.timezone.utc

# Columns that name a cohort: they move by whole years, always (as in src/seed.rs).
COHORT_LABELS = {("students", "class_year"), ("students", "graduation_term"), ("opportunities", "eligible_class_years")}


class Move:
    """The move `waypoint seed` makes on campus day `today` (src/seed.rs, `Shift`): cohort
    labels and the past of history rows by K whole years; the past of current rows by whole
    weeks, at most the days elapsed and at least K years; any date after the reference day
    by whole weeks, at least the days elapsed. Timestamps move on the campus wall clock."""

    def __init__(self, today):
        self.today = today
        years = today.year - TODAY.year
        if add_years(TODAY, years) > today:
            years -= 1
        elapsed = (today - TODAY).days
        self.years = years
        self.current_days = max((add_years(TODAY, years) - TODAY).days, 7 * (elapsed // 7))
        self.future_days = -7 * ((-elapsed) // 7)

    def date(self, d, current):
        if d > TODAY:
            return d + dt.timedelta(days=self.future_days)
        if current:
            return d + dt.timedelta(days=self.current_days)
        return add_years(d, self.years)

    def timestamp(self, t, current):
        local = t.replace(tzinfo=UTC).astimezone(CAMPUS_ZONE)
        moved = dt.datetime.combine(self.date(local.date(), current), local.time())
        # fold=0: the earlier of a repeated hour; a skipped time is read with the offset
        # before the change, i.e. an hour on (what src/core/clock.rs does).
        return moved.replace(tzinfo=CAMPUS_ZONE).astimezone(UTC).replace(tzinfo=None)

    def label(self, column, raw):
        if column == "graduation_term":
            year, month = raw.split("-")
            return f"{int(year) + self.years}-{month}"
        if column == "eligible_class_years":
            return ",".join(str(int(y) + self.years) for y in raw.split(",") if y)
        return str(int(raw) + self.years)

    def cell(self, table, column, value, declared, current):
        if (table, column) in COHORT_LABELS:
            return self.label(column, value)
        declared = declared.lower()
        if declared.startswith("timestamp"):
            return self.timestamp(dt.datetime.strptime(value, "%Y-%m-%d %H:%M:%S"), current).strftime("%Y-%m-%d %H:%M:%S")
        if declared == "date":
            return self.date(dt.date.fromisoformat(value), current).isoformat()
        return value

    def now(self):
        """The latest moment the moved data may describe (the reference NOW, moved)."""
        return max(self.timestamp(NOW, True), self.timestamp(NOW, False))


def load_into_sqlite(move=None):
    """The seed files in an in-memory database: as written, or moved to `move.today`."""
    con = sqlite3.connect(":memory:")
    con.execute("PRAGMA foreign_keys=ON")
    for up in sorted(MIGRATIONS.glob("*/up.sql")):
        con.executescript(up.read_text(encoding="utf-8"))
    for file in read_manifest():
        table = file.removesuffix(".csv")
        types = {row[1]: row[2] for row in con.execute(f"PRAGMA table_info({table})")}
        assert types, f"MANIFEST names {file}, but there is no table {table}"
        with open(SEED_DIR / file, newline="", encoding="utf-8") as fh:
            reader = csv.reader(fh)
            header = next(reader)
            assert "id" in header, f"{file}: no id column"
            assert SHIFT_COLUMN in header, f"{file}: no {SHIFT_COLUMN} column"
            shift_at = header.index(SHIFT_COLUMN)
            assert all(h in types for i, h in enumerate(header) if i != shift_at), \
                f"{file}: unknown columns {set(header) - set(types) - {SHIFT_COLUMN}}"
            for line, record in enumerate(reader, 2):
                where = f"seed/{file}:{line}"
                assert record[shift_at] in ("history", "current"), f"{where}: {SHIFT_COLUMN} {record[shift_at]!r}"
                current = record[shift_at] == "current"
                pairs = []
                for i, (h, v) in enumerate(zip(header, record)):
                    if i == shift_at or v == "":
                        continue
                    convert(v, types[h], where)
                    if move:
                        v = move.cell(table, h, v, types[h], current)
                    pairs.append((h, convert(v, types[h], where)))
                columns = ", ".join(h for h, _ in pairs)
                marks = ", ".join("?" for _ in pairs)
                try:
                    con.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", [v for _, v in pairs])
                except sqlite3.Error as e:
                    raise AssertionError(f"{where}: {e}") from None
    assert not con.execute("PRAGMA foreign_key_check").fetchall()
    con.row_factory = sqlite3.Row
    return con


class Checks:
    def __init__(self, con, move):
        self.con, self.failures = con, []
        self.move, self.today, self.now, self.years = move, move.today, move.now(), move.years
        self.graduated = [y + move.years for y in GRADUATED_COHORTS]

    def q(self, sql, *args):
        return self.con.execute(sql, args).fetchall()

    def one(self, sql, *args):
        return self.con.execute(sql, args).fetchone()[0]

    def expect(self, condition, message):
        if not condition:
            self.failures.append(message)

    def none(self, sql, message):
        rows = self.q(sql)
        self.expect(not rows, f"{message}: {[tuple(r) for r in rows[:3]]}")


def check_people(c):
    for r in c.q("SELECT student_number, graduation_term, class_year FROM students"):
        c.expect(cohort_of(r["graduation_term"]) == r["class_year"], f"cohort mismatch {tuple(r)}")
    c.expect(c.one("SELECT COUNT(DISTINCT college) FROM students") == 4, "exactly 4 colleges")
    c.expect(c.one("SELECT COUNT(DISTINCT major) FROM students") >= 20, ">= 20 majors")
    c.none("SELECT major FROM students GROUP BY major HAVING COUNT(DISTINCT college) > 1", "major in two colleges")
    c.expect(c.one("SELECT COUNT(*) FROM students") >= 300, ">= 300 students")
    c.none(f"SELECT email FROM students WHERE email NOT LIKE '%@{CAMPUS_DOMAIN}'", "student email domain")
    c.none("SELECT s.email FROM students s JOIN users u ON u.id = s.user_id WHERE u.email <> s.email",
           "student user email differs")
    c.none("SELECT email FROM users WHERE issuer IS NOT NULL OR subject IS NOT NULL", "issuer/subject set")
    c.none(f"""SELECT u.email FROM users u JOIN user_roles r ON r.user_id = u.id
               WHERE r.role IN ('faculty', 'counselor', 'admin', 'student') AND u.email NOT LIKE '%@{CAMPUS_DOMAIN}'""",
           "campus user outside the campus domain")
    c.none("""SELECT u.email FROM recruiters r JOIN users u ON u.id = r.user_id JOIN employers e ON e.id = r.employer_id
              WHERE e.email_domain IS NULL OR u.email NOT LIKE '%@' || e.email_domain""", "recruiter email domain")
    c.none("""SELECT r.id FROM recruiters r JOIN partnerships p ON p.employer_id = r.employer_id AND p.status <> 'ended'
              WHERE p.status NOT IN ('active', 'paused')""", "recruiter of a prospect employer")
    c.none("SELECT e.name FROM employers e WHERE e.id IN (SELECT employer_id FROM partnerships WHERE status IN ('active','paused')) "
           "AND (SELECT COUNT(*) FROM recruiters r WHERE r.employer_id = e.id) NOT BETWEEN 1 AND 3",
           "1-3 recruiters per active/paused employer")
    disabled = c.q("SELECT u.id FROM users u JOIN recruiters r ON r.user_id = u.id WHERE u.disabled")
    c.expect(c.one("SELECT COUNT(*) FROM users WHERE disabled") == 1 and len(disabled) == 1, "exactly one disabled recruiter")
    c.expect(c.one("SELECT COUNT(*) FROM faculty") == FACULTY_COUNT, "40 faculty")
    c.none("SELECT department FROM faculty WHERE department NOT IN (SELECT major FROM students)", "faculty department")
    c.none("""SELECT u.email FROM users u WHERE NOT EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id)""",
           "user without a role")


def check_partnerships(c):
    c.expect(c.one("SELECT COUNT(*) FROM employers") == 30, "30 employers")
    c.none(f"SELECT id FROM partnerships WHERE status = 'active' AND ends_on <= '{c.today}'",
           "an active partnership whose term is over")
    c.none("SELECT name FROM employers e WHERE NOT EXISTS (SELECT 1 FROM partnerships p WHERE p.employer_id = e.id)",
           "employer without partnership")
    c.none("""SELECT e.name FROM employers e JOIN partnerships p ON p.employer_id = e.id
              WHERE p.status = 'active' AND e.email_domain IS NULL""", "active employer without email domain")
    for tier in ("strategic", "gold", "silver", "standard"):
        c.expect(c.one("SELECT COUNT(*) FROM partnerships WHERE tier = ?", tier), f"tier {tier} missing")
    for status in ("prospect", "active", "paused", "ended"):
        c.expect(c.one("SELECT COUNT(*) FROM partnerships WHERE status = ?", status), f"status {status} missing")
    for p in c.q("SELECT * FROM partnerships"):
        events = c.q("SELECT * FROM partnership_events WHERE partnership_id = ? ORDER BY at", p["id"])
        c.expect(events and events[0]["from_status"] is None, f"first event of {p['id']}")
        for a, b in zip(events, events[1:]):
            c.expect(b["from_status"] == a["to_status"], f"event chain of {p['id']}")
        c.expect(events[-1]["to_status"] == p["status"], f"last event vs status of {p['id']}")
        firsts = [e["at"][:10] for e in events if e["to_status"] == "active"]
        c.expect((firsts[0] if firsts else None) == p["starts_on"], f"starts_on of {p['id']}")
        ends = [e["at"][:10] for e in events if e["to_status"] == "ended"]
        if ends:
            c.expect(ends[0] == p["ends_on"], f"ends_on of {p['id']}")


def check_opportunities(c):
    c.expect(c.one("SELECT COUNT(*) FROM opportunities") >= 80, ">= 80 postings")
    c.none(f"SELECT id FROM opportunities WHERE fee_cents < {MIN_HOURLY_FEE_CENTS} * hours "
           "OR fee_cents NOT BETWEEN 25000 AND 150000", "fee out of range")
    c.none(f"SELECT id FROM opportunities WHERE status = 'open' AND (opened_at IS NULL OR apply_by <= '{c.today}' "
           f"OR apply_by > '{c.today + 110 * DAY}')", "open posting dates")
    c.none("SELECT id FROM opportunities WHERE status = 'pending_review' AND submitted_at IS NULL", "pending without submitted_at")
    c.none(f"SELECT id FROM opportunities WHERE status = 'closed' AND (apply_by >= '{c.today}' OR closed_at IS NULL)",
           "closed posting dates")
    c.none(f"SELECT id FROM opportunities WHERE created_at < '{add_years(LAUNCH, c.years)}' "
           "OR (opened_at IS NOT NULL AND opened_at < created_at)",
           "posting times")
    c.none("""SELECT o.id FROM opportunities o JOIN partnerships p ON p.employer_id = o.employer_id AND p.status <> 'ended'
              WHERE o.status IN ('draft', 'pending_review', 'open') AND p.status <> 'active'""", "live posting, inactive partner")
    c.none("""SELECT o.id FROM opportunities o WHERE o.status IN ('draft', 'pending_review', 'open')
              AND NOT EXISTS (SELECT 1 FROM partnerships p WHERE p.employer_id = o.employer_id AND p.status = 'active')""",
           "live posting without an active partnership")
    c.none("""SELECT o.id FROM opportunities o WHERE NOT EXISTS (SELECT 1 FROM recruiters r WHERE r.user_id = o.created_by
              AND r.employer_id = o.employer_id) AND NOT EXISTS (SELECT 1 FROM user_roles ur WHERE ur.user_id = o.created_by
              AND ur.role = 'counselor')""", "posting author")
    for status in ("draft", "pending_review", "open", "closed", "cancelled"):
        c.expect(c.one("SELECT COUNT(*) FROM opportunities WHERE status = ?", status), f"no {status} posting")
    c.expect(c.one("SELECT COUNT(*) FROM opportunities WHERE status = 'draft' AND review_note IS NOT NULL"), "returned draft")
    c.expect(c.one("SELECT COUNT(DISTINCT category) FROM opportunities") == 8, "all categories")
    # Every posting was created (and opened) while its employer's partnership was active.
    history = defaultdict(list)
    for r in c.q("""SELECT p.employer_id, e.at, e.to_status FROM partnership_events e
                    JOIN partnerships p ON p.id = e.partnership_id ORDER BY e.at"""):
        history[r["employer_id"]].append((r["at"], r["to_status"]))
    for o in c.q("SELECT * FROM opportunities"):
        for moment in (o["created_at"], o["opened_at"]):
            status = [to for at, to in history[o["employer_id"]] if at <= (moment or "")][-1:]
            c.expect(moment is None or status == ["active"], f"posting {o['id']} outside an active partnership")
    c.expect(c.one("SELECT COUNT(*) FROM opportunities WHERE NOT remote") >= 2, "some on-site postings")


def check_applications(c):
    students = {r["id"]: r for r in c.q("SELECT * FROM students")}
    opps = {r["id"]: r for r in c.q("SELECT * FROM opportunities")}
    for a in c.q("SELECT * FROM applications"):
        st, o = students[a["student_id"]], opps[a["opportunity_id"]]
        ok = all(not o[k] or str(st[f]) in o[k].split(",") for k, f in
                 (("eligible_colleges", "college"), ("eligible_majors", "major"), ("eligible_class_years", "class_year")))
        c.expect(ok, f"ineligible applicant {a['id']}")
        c.expect(st["user_id"] is not None, f"applicant without account {a['id']}")
        c.expect(o["opened_at"] and a["created_at"] > o["opened_at"], f"application before opening {a['id']}")
        if o["status"] == "closed":
            c.expect(a["status"] in ("accepted", "declined", "rejected", "withdrawn"), f"open state on closed {a['id']}")
            c.expect(a["created_at"][:10] < o["apply_by"], f"late application {a['id']}")
        c.expect(o["status"] != "open" or a["status"] != "declined", f"declined on open {a['id']}")
    c.none("""SELECT o.id FROM opportunities o WHERE (SELECT COUNT(*) FROM applications a WHERE a.opportunity_id = o.id
              AND a.status = 'accepted') > o.openings""", "accepted exceeds openings")
    c.none("""SELECT o.id FROM opportunities o WHERE o.status = 'open' AND (SELECT COUNT(*) FROM applications a
              WHERE a.opportunity_id = o.id AND a.status = 'accepted') >= o.openings""", "open posting already filled")
    c.none("""SELECT ae.id FROM application_endorsements ae JOIN applications a ON a.id = ae.application_id
              JOIN endorsements e ON e.id = ae.endorsement_id
              WHERE e.student_id <> a.student_id OR e.revoked_at IS NOT NULL OR e.created_at >= a.created_at""",
           "shared endorsement of another student, revoked, or later")
    c.none("""SELECT a.id FROM applications a WHERE a.status = 'accepted' AND
              (SELECT COUNT(*) FROM engagements e WHERE e.application_id = a.id) <> 1""", "accepted without engagement")
    c.none("""SELECT e.id FROM engagements e JOIN applications a ON a.id = e.application_id JOIN opportunities o
              ON o.id = a.opportunity_id WHERE a.status <> 'accepted' OR e.opportunity_id <> a.opportunity_id
              OR e.student_id <> a.student_id OR e.employer_id <> o.employer_id""", "engagement fields")
    c.none("""SELECT id FROM engagements WHERE started_on >= due_on OR (status = 'completed' AND (rating IS NULL OR
              feedback IS NULL OR submitted_on IS NULL OR completed_on IS NULL OR completed_on < submitted_on))
              OR (status = 'cancelled' AND cancel_reason IS NULL) OR (status IN ('submitted', 'revision_requested')
              AND submitted_on IS NULL) OR paid_on < completed_on""", "engagement state")
    c.none("""SELECT e.id FROM engagements e JOIN opportunities o ON o.id = e.opportunity_id
              WHERE e.amount_paid_cents IS NOT NULL AND e.amount_paid_cents <> o.fee_cents""", "payment differs from fee")


def check_endorsements(c):
    c.none("SELECT id FROM endorsements WHERE (relationship = 'course') <> (course IS NOT NULL)", "course vs relationship")
    c.none("""SELECT r.id FROM endorsement_requests r LEFT JOIN endorsements e ON e.id = r.endorsement_id
              WHERE (r.status = 'fulfilled') <> (e.id IS NOT NULL) OR (e.id IS NOT NULL AND
              (e.faculty_id <> r.faculty_id OR e.student_id <> r.student_id))""", "fulfilled request endorsement")
    c.none("SELECT id FROM endorsement_requests WHERE (status IN ('fulfilled', 'declined')) <> (responded_at IS NOT NULL)",
           "request responded_at")


def check_outcomes(c):
    c.none("SELECT student_id FROM outcomes WHERE is_primary GROUP BY student_id HAVING COUNT(*) > 1", "two primaries")
    c.none(f"SELECT id FROM outcomes WHERE known_on > '{c.today}'", "outcome known in the future")
    c.none("""SELECT id FROM outcomes WHERE category IN ('employed_full_time', 'employed_part_time') AND
              (organization IS NULL OR job_title IS NULL OR start_on IS NULL OR annual_salary_cents IS NULL
               OR employment_type IS NULL OR offer_on IS NULL OR accepted_on IS NULL OR accepted_on > known_on)""",
           "employment outcome fields")
    c.none("""SELECT id FROM outcomes WHERE category = 'continuing_education' AND (organization IS NULL OR job_title IS NOT NULL)""",
           "continuing education fields")
    c.none("""SELECT id FROM outcomes WHERE category NOT IN ('employed_full_time', 'employed_part_time')
              AND employment_type IS NOT NULL""", "employment type on a non-employment row")
    c.none("""SELECT o.id FROM outcomes o JOIN employers e ON e.id = o.employer_id WHERE o.organization <> e.name""",
           "organization differs from employer")
    c.none("""SELECT f.id FROM offers f JOIN engagements e ON e.id = f.engagement_id WHERE e.status <> 'completed'
              OR f.offer_on <= e.completed_on OR f.employer_id <> e.employer_id OR f.student_id <> e.student_id
              OR (f.status = 'extended') <> (f.decided_on IS NULL) OR (f.status = 'accepted') <> (f.outcome_id IS NOT NULL)""",
           "offer state")
    c.none("""SELECT f.id FROM offers f JOIN outcomes o ON o.id = f.outcome_id JOIN employers e ON e.id = f.employer_id
              WHERE o.source <> 'conversion' OR o.engagement_id <> f.engagement_id OR o.employer_id <> f.employer_id
              OR o.organization <> e.name OR o.offer_on <> f.offer_on OR o.accepted_on <> f.decided_on
              OR o.student_id <> f.student_id""", "conversion outcome")
    c.none(f"""SELECT f.id FROM offers f JOIN students s ON s.id = f.student_id
              WHERE (s.class_year <= {max(c.graduated)}) <> (f.kind = 'full_time')""", "offer kind by cohort")
    for cohort in c.graduated:
        cats = {r[0] for r in c.q("SELECT DISTINCT o.category FROM outcomes o JOIN students s ON s.id = o.student_id "
                                  "WHERE s.class_year = ? AND o.is_primary", cohort)}
        c.expect(len(cats) == 8, f"class of {cohort}: categories {sorted(cats)}")
        rate = knowledge_rate(c, cohort)
        c.expect(0.65 <= rate <= 0.90, f"class of {cohort}: knowledge rate {rate:.3f}")
    types = {r[0] for r in c.q("SELECT DISTINCT employment_type FROM outcomes WHERE employment_type IS NOT NULL")}
    c.expect(types == set(EMPLOYMENT_TYPES), f"employment types {types}")
    sources = {r[0] for r in c.q("SELECT DISTINCT source FROM outcomes")}
    c.expect(len(sources) == 6, f"sources {sources}")


def knowledge_rate(c, cohort):
    total = c.one("SELECT COUNT(*) FROM students WHERE class_year = ?", cohort)
    known = c.one("""SELECT COUNT(*) FROM students s WHERE s.class_year = ? AND EXISTS (SELECT 1 FROM outcomes o
                     WHERE o.student_id = s.id AND o.known_on <= ?)""", cohort, f"{cohort}-12-31")
    return known / total


def check_fairs(c):
    c.none("""SELECT s.id FROM fair_sessions s JOIN fairs f ON f.id = s.fair_id
              WHERE s.starts_at < f.starts_at OR s.ends_at > f.ends_at""", "session outside the fair")
    c.none("""SELECT s.id FROM fair_sessions s WHERE NOT EXISTS (SELECT 1 FROM fair_days d
              WHERE d.fair_id = s.fair_id AND d.starts_at <= s.starts_at AND s.ends_at <= d.ends_at)""",
           "session outside every day of its fair")
    c.none("""SELECT s.id FROM fair_sessions s LEFT JOIN recruiters r ON r.id = s.host_id
              WHERE r.employer_id IS NOT s.employer_id""", "host of another employer")
    c.none("""SELECT s.id FROM fair_sessions s WHERE NOT EXISTS (SELECT 1 FROM partnerships p
              WHERE p.employer_id = s.employer_id AND p.status = 'active')""", "session of an inactive employer")
    c.none("""SELECT id FROM fair_sessions WHERE (kind = 'one_on_one') <> (series_id IS NOT NULL)
              OR (kind = 'group' AND capacity NOT BETWEEN 20 AND 60) OR (status = 'cancelled') <> (sequence = 1)""",
           "session kind/capacity/sequence")
    for s in c.q("SELECT * FROM fair_sessions"):
        regs = c.q("SELECT * FROM registrations WHERE session_id = ? ORDER BY created_at", s["id"])
        registered = [r for r in regs if r["status"] == "registered"]
        waitlisted = [r for r in regs if r["status"] == "waitlisted"]
        c.expect(len(registered) <= s["capacity"], f"over capacity {s['id']}")
        c.expect(not waitlisted or len(registered) == s["capacity"], f"waitlist with free seats {s['id']}")
        c.expect([r["waitlist_position"] for r in waitlisted] == list(range(1, len(waitlisted) + 1)),
                 f"waitlist positions {s['id']}")
        for r in regs:
            c.expect(r["attended_at"] is None or (r["status"] == "registered" and s["starts_at"] <= r["attended_at"] < s["ends_at"]),
                     f"attendance {r['id']}")
            c.expect((r["status"] == "cancelled") == (r["cancelled_at"] is not None), f"cancelled_at {r['id']}")
            c.expect(r["created_at"] < s["starts_at"], f"registered after start {r['id']}")
    c.none("""SELECT r.id FROM registrations r JOIN fair_sessions s ON s.id = r.session_id JOIN fairs f ON f.id = s.fair_id
              WHERE r.attended_at IS NOT NULL AND f.status <> 'closed'""", "attendance at a future fair")


def check_times(c):
    for table in MANIFEST:
        c.none(f"SELECT id FROM {table} WHERE created_at > '{c.now}' OR updated_at < created_at",
               f"{table}: created_at after now or updated_at before created_at")
    c.none("""SELECT a.id FROM applications a JOIN students s ON s.id = a.student_id JOIN users u ON u.id = s.user_id
              WHERE u.created_at > a.created_at""", "application before the student's account")
    c.none("SELECT id FROM notifications WHERE link NOT LIKE '/%'", "notification link")


# Dates and times that may lie after today: deadlines, fairs, a partnership's term, a job's
# start. Every other date or time describes the past and must not be after today.
MAY_BE_AHEAD = {("opportunities", "apply_by"), ("opportunities", "due_by"), ("engagements", "due_on"),
                ("partnerships", "ends_on"), ("outcomes", "start_on"), ("fairs", "starts_at"),
                ("fairs", "ends_at"), ("fair_days", "starts_at"), ("fair_days", "ends_at"), ("fair_sessions", "starts_at"), ("fair_sessions", "ends_at")}


def check_nothing_ahead(c):
    for table in MANIFEST:
        for _, column, declared, *_ in c.q(f"PRAGMA table_info({table})"):
            declared = declared.lower()
            if (table, column) in MAY_BE_AHEAD or not (declared == "date" or declared.startswith("timestamp")):
                continue
            limit = c.today if declared == "date" else c.now
            c.none(f"SELECT id FROM {table} WHERE {column} > '{limit}'", f"{table}.{column} after {limit}")


def check_promises(c, rates):
    """What a newcomer on any day must find: open postings, an upcoming fair, and the two
    graduated cohorts, graduated, with the same knowledge rates as on the reference day."""
    c.expect(c.one(f"SELECT COUNT(*) FROM opportunities WHERE status = 'open' AND apply_by > '{c.today}'") >= 10,
             "open postings to apply to")
    # The fair starts after today on campus (stored UTC; 23:59 New York is at most 04:59 UTC the next day).
    c.expect(c.one(f"SELECT COUNT(*) FROM fairs WHERE status = 'published' AND starts_at > '{c.today + DAY} 05:00:00'"),
             "an upcoming fair")
    month = f"{c.today:%Y-%m}"
    for cohort in c.graduated:
        c.none(f"SELECT id FROM students WHERE class_year = {cohort} AND graduation_term > '{month}'",
               f"class of {cohort} not graduated yet")
        rate = knowledge_rate(c, cohort)
        c.expect(rate == rates[cohort - c.years], f"class of {cohort}: knowledge rate {rate} moved")
    c.none(f"""SELECT o.id FROM outcomes o JOIN students s ON s.id = o.student_id WHERE o.is_primary
               AND s.class_year IN ({', '.join(map(str, c.graduated))}) AND o.known_on > s.class_year || '-12-31'
               AND o.source = 'conversion'""", "a conversion outcome outside its cohort's window")


CHECKS = (check_people, check_partnerships, check_opportunities, check_applications, check_endorsements,
          check_outcomes, check_fairs, check_times, check_nothing_ahead)

# Days the data is also checked on, moved as `waypoint seed` would move it there: the
# first days and weeks, each season of the following year, the anniversary, a leap day,
# and years ahead (the days the tests of src/seed.rs load it on among them).
MOVED_TO = [TODAY + n * DAY for n in (1, 6, 7, 8, 45, 100, 150, 200, 250, 300, 364, 365, 366, 372)] + [
    dt.date(2028, 2, 29), dt.date(2029, 9, 1), dt.date(2031, 3, 10), dt.date(2032, 6, 30), TODAY - 40 * DAY]


def verify():
    c = Checks(load_into_sqlite(), Move(TODAY))
    for check in CHECKS:
        check(c)
    print_summary(c)
    failures = c.failures
    rates = {cohort: knowledge_rate(c, cohort) for cohort in GRADUATED_COHORTS}
    for today in MOVED_TO:
        moved = Checks(load_into_sqlite(Move(today)), Move(today))
        for check in CHECKS:
            check(moved)
        check_promises(moved, rates)
        failures += [f"moved to {today}: {f}" for f in moved.failures]
    print(f"moved to {len(MOVED_TO)} other days: {'same checks pass' if not failures else 'FAILED'}")
    if failures:
        print("\nFAILED checks:", *failures[:40], sep="\n  ")
        sys.exit(1)
    print("\nall checks passed")


def print_summary(c):
    print("rows per table (MANIFEST order):")
    for file in read_manifest():
        table = file.removesuffix(".csv")
        print(f"  {table:<26}{c.one(f'SELECT COUNT(*) FROM {table}'):>6}")
    print("students per cohort, knowledge rate (known by Dec 31 of the class year):")
    for cohort in sorted(COHORTS):
        total = c.one("SELECT COUNT(*) FROM students WHERE class_year = ?", cohort)
        users = c.one("SELECT COUNT(*) FROM students WHERE class_year = ? AND user_id IS NOT NULL", cohort)
        line = f"  class of {cohort}: {total} students, {users} with accounts"
        if cohort in GRADUATED_COHORTS:
            line += f", knowledge rate {knowledge_rate(c, cohort):.4f}"
        print(line)
    print("primary outcome categories (class of 2025 / 2026):")
    for cat, _ in CATEGORY_SHARES:
        n = [c.one("SELECT COUNT(*) FROM outcomes o JOIN students s ON s.id = o.student_id WHERE o.is_primary "
                   "AND o.category = ? AND s.class_year = ?", cat, y) for y in GRADUATED_COHORTS]
        print(f"  {cat:<30}{n[0]:>4}{n[1]:>5}")
    print("  employment types:", dict(c.q("SELECT employment_type, COUNT(*) FROM outcomes WHERE employment_type IS NOT NULL GROUP BY 1")))
    print("  sources:", dict(c.q("SELECT source, COUNT(*) FROM outcomes GROUP BY 1")))
    print("postings by status:", dict(c.q("SELECT status, COUNT(*) FROM opportunities GROUP BY 1")))
    print("postings by category:", dict(c.q("SELECT category, COUNT(*) FROM opportunities GROUP BY 1")))
    print("applications by status:", dict(c.q("SELECT status, COUNT(*) FROM applications GROUP BY 1")))
    print("engagements by status:", dict(c.q("SELECT status, COUNT(*) FROM engagements GROUP BY 1")))
    print("offers by kind/status:", dict(c.q("SELECT kind || '/' || status, COUNT(*) FROM offers GROUP BY 1")))
    print("partnerships tier x status:", dict(c.q("SELECT tier || '/' || status, COUNT(*) FROM partnerships GROUP BY 1")))
    worst = c.q("""SELECT o.openings, (SELECT COUNT(*) FROM applications a WHERE a.opportunity_id = o.id AND
                   a.status = 'accepted') AS accepted FROM opportunities o ORDER BY accepted - o.openings DESC LIMIT 1""")[0]
    print(f"max accepted - openings over postings: {worst['accepted'] - worst['openings']} "
          f"(accepted {worst['accepted']} of {worst['openings']} openings)")
    rows = c.q("""SELECT s.kind, s.capacity, SUM(r.status = 'registered') AS reg, SUM(r.status = 'waitlisted') AS wait,
                  SUM(r.status = 'cancelled') AS canc, SUM(r.attended_at IS NOT NULL) AS att
                  FROM fair_sessions s LEFT JOIN registrations r ON r.session_id = s.id GROUP BY s.id""")
    full = sum(1 for r in rows if (r["reg"] or 0) == r["capacity"])
    print(f"registrations vs capacity: max registered/capacity {max((r['reg'] or 0) / r['capacity'] for r in rows):.2f}, "
          f"{full} full sessions, {sum(r['wait'] or 0 for r in rows)} waitlisted, "
          f"{sum(r['canc'] or 0 for r in rows)} cancelled, {sum(r['att'] or 0 for r in rows)} attended")
    print("fair sessions:", dict(c.q("SELECT f.name || ' ' || s.kind || '/' || s.status, COUNT(*) FROM fair_sessions s "
                                     "JOIN fairs f ON f.id = s.fair_id GROUP BY 1")))


def main(argv):
    if "--verify" not in argv:
        write_seed(generate())
        print(f"wrote {SEED_DIR}")
    verify()


if __name__ == "__main__":
    main(sys.argv[1:])
