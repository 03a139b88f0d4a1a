//! Black-box tests: each starts Waypoint on port 0 with a fresh database and talks HTTP
//! (or runs the `waypoint` binary). The same suite runs on SQLite (default) and on
//! PostgreSQL (`WAYPOINT_TEST_BACKEND=postgres` with `WAYPOINT_TEST_POSTGRES_URL`).

mod access;
mod accounts;
mod api;
mod applicant_pages;
mod auth;
mod browser;
mod campus_time;
mod catalogue_pages;
mod cli;
mod dashboard;
mod endorsements;
mod fairs;
mod fixtures;
mod forms;
mod health;
mod helpers;
mod homes;
mod idp;
mod instances;
mod isolation;
mod lifecycle;
mod lifecycle_edges;
mod mail;
mod mapping;
mod migrations;
mod opportunities;
mod outcomes;
mod partners;
mod partners_workspace;
mod patterns;
mod proxies;
mod recruiters;
mod reports;
mod roster;
mod seed;
mod standalone;
mod synthetic;
