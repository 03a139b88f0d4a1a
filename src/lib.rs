//! Waypoint: a university career office's server. Campus single sign-on, employer
//! partnerships, the micro-internship programme, virtual fairs, and NACE outcome reports.

pub mod api;
pub mod audit;
pub mod auth;
pub mod cli;
pub mod config;
pub mod core;
pub mod csv_import;
pub mod dashboard;
pub mod db;
pub mod endorsements;
pub mod fairs;
pub mod home;
pub mod inbox;
pub mod notify;
pub mod opportunities;
pub mod outcomes;
pub mod partners;
pub mod records;
pub mod reports;
pub mod seed;
pub mod startup;
pub mod students;
pub mod synthetic;
pub mod tasks;
pub mod telemetry;
pub mod web;
