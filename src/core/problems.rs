//! What is wrong with a form or a file: each problem names its field (or, in an import,
//! `FILE:LINE: column`), and a form's problems are gathered all at once, so a person
//! corrects everything in one go and loses nothing they typed.

use std::fmt;

use serde::Serialize;

/// One problem with one field of a form (or one column of one line of a file).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldProblem {
    pub field: String,
    pub problem: String,
}

impl FieldProblem {
    pub fn new(field: impl Into<String>, problem: impl Into<String>) -> Self {
        FieldProblem { field: field.into(), problem: problem.into() }
    }
}

impl fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.problem)
    }
}

/// The problems of one form or file, in the order found. Collect them with [`add`](Problems::add)
/// while checking every field, then [`finish`](Problems::finish) (or [`check`](Problems::check)):
/// any problem makes the whole an `Error::Invalid` (answered 422) and nothing is written.
/// Serialises as the list of problems (what the templates show).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Problems(Vec<FieldProblem>);

impl Problems {
    pub fn new() -> Self {
        Problems(Vec::new())
    }

    /// Just one problem.
    pub fn one(field: impl Into<String>, problem: impl Into<String>) -> Self {
        Problems(vec![FieldProblem::new(field, problem)])
    }

    /// Notes a problem with `field`.
    pub fn add(&mut self, field: impl Into<String>, problem: impl Into<String>) {
        self.0.push(FieldProblem::new(field, problem));
    }

    pub fn push(&mut self, p: FieldProblem) {
        self.0.push(p);
    }

    /// Takes the value of a check, noting its problem under `field` if it failed.
    pub fn take<T>(&mut self, field: &str, checked: Result<T, String>) -> Option<T> {
        match checked {
            Ok(v) => Some(v),
            Err(e) => {
                self.add(field, e);
                None
            }
        }
    }

    pub fn as_slice(&self) -> &[FieldProblem] {
        &self.0
    }

    pub fn into_vec(self) -> Vec<FieldProblem> {
        self.0
    }

    /// The fields named, in order (a field with two problems appears twice).
    pub fn fields(&self) -> Vec<&str> {
        self.0.iter().map(|p| p.field.as_str()).collect()
    }

    /// `Ok(())` when nothing was found, else `Error::Invalid` with every problem.
    pub fn check(self) -> Result<(), super::Error> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(super::Error::Invalid(self))
        }
    }

    /// `Ok(value)` when nothing was found, else `Error::Invalid` with every problem.
    pub fn finish<T>(self, value: T) -> Result<T, super::Error> {
        self.check().map(|()| value)
    }
}

/// The problems as a slice: `len`, `is_empty`, `iter`, `[i]`.
impl std::ops::Deref for Problems {
    type Target = [FieldProblem];
    fn deref(&self) -> &[FieldProblem] {
        &self.0
    }
}

impl fmt::Display for Problems {
    /// "field: problem; other: problem".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

impl From<Vec<FieldProblem>> for Problems {
    fn from(v: Vec<FieldProblem>) -> Self {
        Problems(v)
    }
}

impl From<FieldProblem> for Problems {
    fn from(p: FieldProblem) -> Self {
        Problems(vec![p])
    }
}

impl FromIterator<FieldProblem> for Problems {
    fn from_iter<I: IntoIterator<Item = FieldProblem>>(iter: I) -> Self {
        Problems(iter.into_iter().collect())
    }
}

impl Extend<FieldProblem> for Problems {
    fn extend<I: IntoIterator<Item = FieldProblem>>(&mut self, iter: I) {
        self.0.extend(iter)
    }
}

impl IntoIterator for Problems {
    type Item = FieldProblem;
    type IntoIter = std::vec::IntoIter<FieldProblem>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a Problems {
    type Item = &'a FieldProblem;
    type IntoIter = std::slice::Iter<'a, FieldProblem>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::Error;

    #[test]
    fn every_problem_is_kept_and_any_makes_the_whole_invalid() {
        let mut p = Problems::new();
        assert_eq!(p.clone().finish(7).unwrap(), 7);
        p.add("name", "is required");
        let hours: Option<i32> = p.take("hours", "x".parse::<i32>().map_err(|_| "is not a number".to_owned()));
        assert_eq!(hours, None);
        assert_eq!(p.take("fee", Ok::<_, String>(5)), Some(5));
        assert_eq!(p.fields(), ["name", "hours"]);
        assert_eq!(p.to_string(), "name: is required; hours: is not a number");
        assert_eq!(serde_json::to_value(&p).unwrap()[1]["field"], "hours", "a list for the templates");
        match p.finish(()) {
            Err(Error::Invalid(p)) => assert_eq!(p.len(), 2),
            other => panic!("{other:?}"),
        }
    }
}
