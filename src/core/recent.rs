//! Figures worked out at most once per period, kept per key. Some pages show sums over the
//! whole university (the office dashboard: every graduate, every application); at 100,000
//! students each takes seconds of database work, and the office opens the page far more
//! often than the figures change. Those pages keep the figures they worked out for a
//! short, stated period, and say when they were worked out.
//!
//! One person works a key's figures out at a time: whoever asks for the same key
//! meanwhile waits for them (rather than every open browser starting the same seconds of
//! work at once). Callers run on the blocking thread pool (in `web::block`), where a wait
//! holds no async worker and no database connection.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// The most keys kept; past it, the stale ones are dropped (filters people try once).
const MAX_KEYS: usize = 512;

/// Values of type `V` per key, each worked out at most once per `period`.
pub struct Recent<V> {
    period: Duration,
    slots: Mutex<HashMap<String, Slot<V>>>,
}

/// One key's value, locked while it is worked out.
type Slot<V> = Arc<Mutex<Option<Kept<V>>>>;

struct Kept<V> {
    value: V,
    made: Instant,
}

impl<V: Clone> Recent<V> {
    pub fn new(period: Duration) -> Self {
        Recent { period, slots: Mutex::new(HashMap::new()) }
    }

    /// The value kept for `key` if it was worked out less than a period ago, else the one
    /// `make` works out now (kept unless it failed). Blocks while another thread makes it.
    pub fn get_or_make<E>(&self, key: &str, make: impl FnOnce() -> Result<V, E>) -> Result<V, E> {
        let slot = {
            let mut slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
            if slots.len() >= MAX_KEYS && !slots.contains_key(key) {
                let period = self.period;
                // A slot being made (locked) stays; so do the fresh ones.
                slots.retain(|_, s| match s.try_lock() {
                    Ok(kept) => kept.as_ref().is_some_and(|k| k.made.elapsed() < period),
                    Err(_) => true,
                });
            }
            slots.entry(key.to_owned()).or_default().clone()
        };
        let mut kept = slot.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(k) = kept.as_ref().filter(|k| k.made.elapsed() < self.period) {
            return Ok(k.value.clone());
        }
        let value = make()?;
        *kept = Some(Kept { value: value.clone(), made: Instant::now() });
        Ok(value)
    }

    /// Forgets every kept value (the next request works each out again).
    pub fn forget(&self) {
        self.slots.lock().unwrap_or_else(PoisonError::into_inner).clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn a_value_is_made_once_per_period_and_key() {
        let recent = Recent::new(Duration::from_secs(3600));
        let made = AtomicUsize::new(0);
        let make = |v: i32| {
            made.fetch_add(1, Ordering::SeqCst);
            Ok::<_, ()>(v)
        };
        assert_eq!(recent.get_or_make("a", || make(1)), Ok(1));
        assert_eq!(recent.get_or_make("a", || make(2)), Ok(1), "kept");
        assert_eq!(recent.get_or_make("b", || make(3)), Ok(3), "another key");
        assert_eq!(made.load(Ordering::SeqCst), 2);
        recent.forget();
        assert_eq!(recent.get_or_make("a", || make(4)), Ok(4), "made again after forget");
    }

    #[test]
    fn a_stale_or_failed_value_is_made_again() {
        let recent = Recent::new(Duration::ZERO);
        assert_eq!(recent.get_or_make("a", || Ok::<_, ()>(1)), Ok(1));
        assert_eq!(recent.get_or_make("a", || Ok::<_, ()>(2)), Ok(2), "a period of zero keeps nothing");
        let recent = Recent::new(Duration::from_secs(3600));
        assert_eq!(recent.get_or_make("a", || Err::<i32, _>("down")), Err("down"));
        assert_eq!(recent.get_or_make("a", || Ok::<_, &str>(5)), Ok(5), "a failure is not kept");
    }

    #[test]
    fn callers_of_one_key_wait_for_the_one_who_makes_it() {
        let recent = Arc::new(Recent::new(Duration::from_secs(3600)));
        let made = Arc::new(AtomicUsize::new(0));
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let (recent, made) = (recent.clone(), made.clone());
                std::thread::spawn(move || {
                    recent.get_or_make("k", || {
                        made.fetch_add(1, Ordering::SeqCst);
                        std::thread::sleep(Duration::from_millis(50));
                        Ok::<_, ()>(7)
                    })
                })
            })
            .collect();
        for t in threads {
            assert_eq!(t.join().unwrap(), Ok(7));
        }
        assert_eq!(made.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn old_keys_are_dropped_past_the_limit() {
        let recent = Recent::new(Duration::ZERO);
        for i in 0..MAX_KEYS + 10 {
            recent.get_or_make(&i.to_string(), || Ok::<_, ()>(i)).unwrap();
        }
        assert!(recent.slots.lock().unwrap().len() <= MAX_KEYS);
    }
}
