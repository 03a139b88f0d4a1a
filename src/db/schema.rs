// The diesel schema shared by both backends; mirrors migrations/{sqlite,postgres}.
// Written by hand (no diesel CLI in the build): the migration parity test checks it.

diesel::table! {
    users (id) {
        id -> Text,
        issuer -> Nullable<Text>,
        subject -> Nullable<Text>,
        email -> Text,
        display_name -> Text,
        disabled -> Bool,
        password_hash -> Nullable<Text>,
        calendar_token_hash -> Nullable<Text>,
        last_login_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    user_roles (id) {
        id -> Text,
        user_id -> Text,
        role -> Text,
        source -> Text,
        granted_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    pending_grants (id) {
        id -> Text,
        email -> Text,
        role -> Text,
        granted_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        user_id -> Text,
        csrf_token -> Text,
        ip -> Nullable<Text>,
        user_agent -> Nullable<Text>,
        expires_at -> Timestamp,
        last_seen_at -> Timestamp,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    oidc_logins (id) {
        id -> Text,
        nonce -> Text,
        pkce_verifier -> Text,
        return_to -> Text,
        browser_binding -> Text,
        expires_at -> Timestamp,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    login_throttles (id) {
        id -> Text,
        scope -> Text,
        key -> Text,
        failures -> Integer,
        window_started_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    students (id) {
        id -> Text,
        user_id -> Nullable<Text>,
        student_number -> Text,
        email -> Text,
        name -> Text,
        college -> Text,
        major -> Text,
        class_year -> Integer,
        graduation_term -> Text,
        profile_visibility -> Text,
        headline -> Text,
        skills -> Text,
        portfolio_url -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    faculty (id) {
        id -> Text,
        user_id -> Text,
        department -> Text,
        title -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    employers (id) {
        id -> Text,
        name -> Text,
        industry -> Text,
        website -> Nullable<Text>,
        email_domain -> Nullable<Text>,
        size -> Nullable<Text>,
        location -> Text,
        description -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    partnerships (id) {
        id -> Text,
        employer_id -> Text,
        tier -> Text,
        status -> Text,
        starts_on -> Nullable<Date>,
        ends_on -> Nullable<Date>,
        owner_id -> Nullable<Text>,
        notes -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    partnership_events (id) {
        id -> Text,
        partnership_id -> Text,
        from_status -> Nullable<Text>,
        to_status -> Text,
        actor_id -> Nullable<Text>,
        note -> Text,
        at -> Timestamp,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    recruiters (id) {
        id -> Text,
        user_id -> Text,
        employer_id -> Text,
        title -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    invitations (id) {
        id -> Text,
        employer_id -> Text,
        email -> Text,
        name -> Text,
        title -> Text,
        token_hash -> Text,
        invited_by -> Nullable<Text>,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    opportunities (id) {
        id -> Text,
        employer_id -> Text,
        title -> Text,
        description -> Text,
        category -> Text,
        skills -> Text,
        hours -> Integer,
        fee_cents -> BigInt,
        currency -> Text,
        remote -> Bool,
        location -> Nullable<Text>,
        apply_by -> Date,
        due_by -> Date,
        openings -> Integer,
        eligible_colleges -> Text,
        eligible_majors -> Text,
        eligible_class_years -> Text,
        status -> Text,
        review_note -> Nullable<Text>,
        created_by -> Nullable<Text>,
        submitted_at -> Nullable<Timestamp>,
        opened_at -> Nullable<Timestamp>,
        closed_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    endorsements (id) {
        id -> Text,
        faculty_id -> Text,
        student_id -> Text,
        skills -> Text,
        statement -> Text,
        relationship -> Text,
        course -> Nullable<Text>,
        revoked_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        hidden_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    endorsement_requests (id) {
        id -> Text,
        student_id -> Text,
        faculty_id -> Text,
        message -> Text,
        status -> Text,
        endorsement_id -> Nullable<Text>,
        responded_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        opportunity_id -> Nullable<Text>,
        skills -> Text,
        response_note -> Nullable<Text>,
    }
}

diesel::table! {
    applications (id) {
        id -> Text,
        opportunity_id -> Text,
        student_id -> Text,
        statement -> Text,
        status -> Text,
        decision_message -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    application_endorsements (id) {
        id -> Text,
        application_id -> Text,
        endorsement_id -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    engagements (id) {
        id -> Text,
        application_id -> Text,
        opportunity_id -> Text,
        student_id -> Text,
        employer_id -> Text,
        status -> Text,
        started_on -> Date,
        due_on -> Date,
        deliverable_url -> Nullable<Text>,
        deliverable_note -> Nullable<Text>,
        submitted_on -> Nullable<Date>,
        completed_on -> Nullable<Date>,
        rating -> Nullable<Integer>,
        feedback -> Nullable<Text>,
        student_rating -> Nullable<Integer>,
        student_feedback -> Nullable<Text>,
        amount_paid_cents -> Nullable<BigInt>,
        paid_on -> Nullable<Date>,
        cancel_requested_by -> Nullable<Text>,
        cancel_reason -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    outcomes (id) {
        id -> Text,
        student_id -> Text,
        category -> Text,
        employer_id -> Nullable<Text>,
        organization -> Nullable<Text>,
        job_title -> Nullable<Text>,
        employment_type -> Nullable<Text>,
        start_on -> Nullable<Date>,
        annual_salary_cents -> Nullable<BigInt>,
        currency -> Text,
        source -> Text,
        is_primary -> Bool,
        offer_on -> Nullable<Date>,
        accepted_on -> Nullable<Date>,
        known_on -> Date,
        engagement_id -> Nullable<Text>,
        recorded_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        awaiting_confirmation -> Bool,
    }
}

diesel::table! {
    survey_invitations (id) {
        id -> Text,
        student_id -> Text,
        class_year -> Integer,
        invited_by -> Nullable<Text>,
        invited_at -> Timestamp,
        last_sent_at -> Timestamp,
        reminders -> Integer,
        answered_at -> Nullable<Timestamp>,
        outcome_id -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    survey_links (id) {
        id -> Text,
        token_digest -> Text,
        invitation_id -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    outcome_changes (id) {
        id -> Text,
        outcome_id -> Text,
        student_id -> Text,
        changed_by -> Nullable<Text>,
        changed_by_label -> Text,
        changed_at -> Timestamp,
        before_fields -> Nullable<Text>,
        after_fields -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    offers (id) {
        id -> Text,
        engagement_id -> Text,
        employer_id -> Text,
        student_id -> Text,
        kind -> Text,
        job_title -> Text,
        offer_on -> Date,
        status -> Text,
        decided_on -> Nullable<Date>,
        outcome_id -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        annual_salary_cents -> Nullable<BigInt>,
        currency -> Text,
        start_on -> Nullable<Date>,
        location -> Nullable<Text>,
    }
}

diesel::table! {
    fairs (id) {
        id -> Text,
        name -> Text,
        description -> Text,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        status -> Text,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        requires_approval -> Bool,
    }
}

diesel::table! {
    fair_days (id) {
        id -> Text,
        fair_id -> Text,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    fair_employers (id) {
        id -> Text,
        fair_id -> Text,
        employer_id -> Text,
        status -> Text,
        decided_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    fair_sessions (id) {
        id -> Text,
        fair_id -> Text,
        employer_id -> Text,
        host_id -> Nullable<Text>,
        kind -> Text,
        series_id -> Nullable<Text>,
        title -> Text,
        description -> Text,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        capacity -> Integer,
        meeting_url -> Text,
        status -> Text,
        sequence -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        reminded_24h_at -> Nullable<Timestamp>,
        reminded_1h_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    registrations (id) {
        id -> Text,
        session_id -> Text,
        student_id -> Text,
        status -> Text,
        waitlist_position -> Nullable<Integer>,
        attended_at -> Nullable<Timestamp>,
        cancelled_at -> Nullable<Timestamp>,
        sequence -> Integer,
        no_show_cleared_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        reminded_24h_at -> Nullable<Timestamp>,
        reminded_1h_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    notifications (id) {
        id -> Text,
        user_id -> Text,
        kind -> Text,
        title -> Text,
        body -> Text,
        link -> Nullable<Text>,
        read_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    outbox (id) {
        id -> Text,
        notification_id -> Nullable<Text>,
        to_email -> Text,
        subject -> Text,
        body -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        calendar -> Nullable<Text>,
    }
}

diesel::table! {
    audit_events (id) {
        id -> Text,
        actor_id -> Nullable<Text>,
        actor_label -> Text,
        action -> Text,
        subject_type -> Text,
        subject_id -> Nullable<Text>,
        ip -> Nullable<Text>,
        at -> Timestamp,
        details -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> Text,
        name -> Text,
        token_hash -> Text,
        scopes -> Text,
        created_by -> Nullable<Text>,
        created_by_label -> Text,
        expires_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
        revoked_by_label -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    task_leases (id) {
        id -> Text,
        holder -> Text,
        lease_until -> Timestamp,
        last_run_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    opportunity_skills (id) {
        id -> Text,
        opportunity_id -> Text,
        skill -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    opportunity_colleges (id) {
        id -> Text,
        opportunity_id -> Text,
        college -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    opportunity_majors (id) {
        id -> Text,
        opportunity_id -> Text,
        major -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    opportunity_class_years (id) {
        id -> Text,
        opportunity_id -> Text,
        class_year -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    password_resets (id) {
        id -> Text,
        user_id -> Text,
        token_hash -> Text,
        issued_by -> Nullable<Text>,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    employer_vettings (id) {
        id -> Text,
        employer_id -> Text,
        domain_verified -> Bool,
        website_verified -> Bool,
        contact_verified -> Bool,
        note -> Text,
        vetted_by -> Nullable<Text>,
        vetted_at -> Timestamp,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(user_roles -> users (user_id));
diesel::joinable!(pending_grants -> users (granted_by));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(students -> users (user_id));
diesel::joinable!(faculty -> users (user_id));
diesel::joinable!(partnerships -> employers (employer_id));
diesel::joinable!(partnerships -> users (owner_id));
diesel::joinable!(partnership_events -> partnerships (partnership_id));
diesel::joinable!(partnership_events -> users (actor_id));
diesel::joinable!(recruiters -> users (user_id));
diesel::joinable!(recruiters -> employers (employer_id));
diesel::joinable!(invitations -> employers (employer_id));
diesel::joinable!(invitations -> users (invited_by));
diesel::joinable!(opportunities -> employers (employer_id));
diesel::joinable!(opportunities -> users (created_by));
diesel::joinable!(endorsements -> faculty (faculty_id));
diesel::joinable!(endorsements -> students (student_id));
diesel::joinable!(endorsement_requests -> students (student_id));
diesel::joinable!(endorsement_requests -> faculty (faculty_id));
diesel::joinable!(endorsement_requests -> endorsements (endorsement_id));
diesel::joinable!(endorsement_requests -> opportunities (opportunity_id));
diesel::joinable!(applications -> opportunities (opportunity_id));
diesel::joinable!(applications -> students (student_id));
diesel::joinable!(application_endorsements -> applications (application_id));
diesel::joinable!(application_endorsements -> endorsements (endorsement_id));
diesel::joinable!(engagements -> applications (application_id));
diesel::joinable!(engagements -> opportunities (opportunity_id));
diesel::joinable!(engagements -> students (student_id));
diesel::joinable!(engagements -> employers (employer_id));
diesel::joinable!(engagements -> users (cancel_requested_by));
diesel::joinable!(outcomes -> students (student_id));
diesel::joinable!(outcomes -> employers (employer_id));
diesel::joinable!(outcomes -> engagements (engagement_id));
diesel::joinable!(outcomes -> users (recorded_by));
diesel::joinable!(outcome_changes -> outcomes (outcome_id));
diesel::joinable!(outcome_changes -> students (student_id));
diesel::joinable!(outcome_changes -> users (changed_by));
diesel::joinable!(offers -> engagements (engagement_id));
diesel::joinable!(offers -> employers (employer_id));
diesel::joinable!(offers -> students (student_id));
diesel::joinable!(offers -> outcomes (outcome_id));
diesel::joinable!(fairs -> users (created_by));
diesel::joinable!(fair_sessions -> fairs (fair_id));
diesel::joinable!(fair_days -> fairs (fair_id));
diesel::joinable!(fair_employers -> fairs (fair_id));
diesel::joinable!(fair_employers -> employers (employer_id));
diesel::joinable!(fair_sessions -> employers (employer_id));
diesel::joinable!(fair_sessions -> recruiters (host_id));
diesel::joinable!(registrations -> fair_sessions (session_id));
diesel::joinable!(registrations -> students (student_id));
diesel::joinable!(notifications -> users (user_id));
diesel::joinable!(outbox -> notifications (notification_id));
diesel::joinable!(audit_events -> users (actor_id));
diesel::joinable!(api_tokens -> users (created_by));
diesel::joinable!(opportunity_skills -> opportunities (opportunity_id));
diesel::joinable!(opportunity_colleges -> opportunities (opportunity_id));
diesel::joinable!(opportunity_majors -> opportunities (opportunity_id));
diesel::joinable!(opportunity_class_years -> opportunities (opportunity_id));

diesel::joinable!(password_resets -> users (user_id));
diesel::joinable!(calendar_feeds -> users (user_id));
diesel::joinable!(employer_vettings -> employers (employer_id));
diesel::joinable!(survey_invitations -> students (student_id));
diesel::joinable!(survey_invitations -> outcomes (outcome_id));
diesel::joinable!(survey_links -> survey_invitations (invitation_id));

diesel::allow_tables_to_appear_in_same_query!(
    calendar_feeds,
    users,
    user_roles,
    pending_grants,
    sessions,
    oidc_logins,
    login_throttles,
    students,
    faculty,
    employers,
    partnerships,
    partnership_events,
    recruiters,
    invitations,
    opportunities,
    endorsements,
    endorsement_requests,
    applications,
    application_endorsements,
    engagements,
    outcomes,
    outcome_changes,
    offers,
    fairs,
    fair_days,
    fair_employers,
    fair_sessions,
    registrations,
    notifications,
    outbox,
    audit_events,
    api_tokens,
    task_leases,
    opportunity_skills,
    opportunity_colleges,
    opportunity_majors,
    opportunity_class_years,
    password_resets,
    employer_vettings,
    survey_invitations,
    survey_links,
);

diesel::table! {
    calendar_feeds (id) {
        id -> Text,
        user_id -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}
