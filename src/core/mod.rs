//! What every area shares and that knows neither HTTP nor SQL: the campus clock (and,
//! as the areas move onto it, field problems, the domain error, actors and typed ids).

pub mod clock;

pub use clock::Clock;
