//! The portal in a real headless Chromium (through ChromeDriver's W3C WebDriver API,
//! spoken over plain HTTP), with axe-core checking WCAG 2.1 A/AA rules on each page, at
//! desktop and phone width. `harness` has the browser and its checks; the other modules
//! are the tests.

mod api_tokens;
mod checks;
mod dashboard;
mod endorsements;
pub mod harness;
mod homes;
mod keyboard;
mod opportunities;
mod outcomes;
mod patterns;
mod reports;
mod tour;
