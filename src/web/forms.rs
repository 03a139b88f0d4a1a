//! A form as a page shows it: its fields (each with a label, an optional hint, and for a
//! list of choices the choices), what was submitted (kept verbatim when the form comes
//! back, textareas included), and its problems (`core::Problems`, keyed by field name),
//! each told with the field's label, never its internal name.
//!
//! A handler describes the form once ([`Form::new`] with [`Field`]s), fills it with the
//! stored record or the submitted values ([`Values::of`]) and, when the form is refused,
//! its problems ([`Form::with_problems`]); the page gets it as `form` and shows it with
//! the partials `{{> partials/error_summary form}}` (the summary at the top: a heading
//! and a link to each field in error) and `{{> partials/field form.fields.NAME}}` (label,
//! hint, error, the kept value, `aria-invalid` and `aria-describedby`). See
//! `docs/portal-patterns.md`.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use serde::Serialize;

use crate::core::{money, FieldProblem, Problems};

/// What was submitted, verbatim, by field name (a checkbox list has several values).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Values(BTreeMap<String, Vec<String>>);

/// Fields never shown back or carried on: the form token, the confirmation answer.
const NOT_KEPT: [&str; 2] = ["csrf_token", "confirm"];

impl Values {
    pub fn new() -> Self {
        Values::default()
    }

    /// The fields of a form struct (the handler's `Deserialize` form, also deriving
    /// `Serialize`), or of a stored record's view: strings as they are, numbers and
    /// booleans as text, a list as several values, `None` as no value.
    pub fn of(form: &impl Serialize) -> Self {
        let mut values = Values::new();
        match serde_json::to_value(form) {
            Ok(serde_json::Value::Object(fields)) => {
                for (name, value) in fields {
                    let list = match value {
                        serde_json::Value::Array(items) => items.into_iter().filter_map(scalar).collect(),
                        other => scalar(other).into_iter().collect(),
                    };
                    values.0.insert(name, list);
                }
            }
            Ok(other) => tracing::error!(kind = ?other, "form values that are not an object"),
            Err(e) => tracing::error!(error = %e, "form values did not serialize"),
        }
        values
    }

    /// Name-value pairs as a browser sends them (a name may repeat).
    pub fn from_pairs<K: Into<String>, V: Into<String>>(pairs: impl IntoIterator<Item = (K, V)>) -> Self {
        let mut values = Values::new();
        for (k, v) in pairs {
            values.0.entry(k.into()).or_default().push(v.into());
        }
        values
    }

    /// With `name` set to `value` (a default for a new form: the currency, today's date).
    pub fn with(mut self, name: &str, value: impl Into<String>) -> Self {
        self.0.insert(name.to_owned(), vec![value.into()]);
        self
    }

    /// The (first) value of `name`, or "" when there is none.
    pub fn get(&self, name: &str) -> &str {
        self.0.get(name).and_then(|v| v.first()).map(String::as_str).unwrap_or("")
    }

    /// Every value of `name` (a checkbox list).
    pub fn all(&self, name: &str) -> &[String] {
        self.0.get(name).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Whether the form has a field `name` at all (even an empty one).
    pub fn has(&self, name: &str) -> bool {
        self.0.contains_key(name)
    }

    /// Every name-value pair, in name order, without the form token and the confirmation
    /// answer: what a confirmation step posts again.
    pub fn pairs(&self) -> Vec<(&str, &str)> {
        self.0
            .iter()
            .filter(|(name, _)| !NOT_KEPT.contains(&name.as_str()))
            .flat_map(|(name, values)| values.iter().map(move |v| (name.as_str(), v.as_str())))
            .collect()
    }
}

fn scalar(v: serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// One choice of a known list: the value a form sends, the words a person reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

/// A known list to choose from (colleges, majors, class years, currencies, statuses):
/// shown as a select, radio buttons or checkboxes, each choice selected when the kept
/// values hold it. Also what the handler checks a submitted value against ([`pick`](Choices::pick)).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Choices(Vec<Choice>);

impl Choices {
    /// Value-label pairs: `Choices::new(Status::ALL.map(|s| (s.as_str(), s.label())))`.
    pub fn new<V: Into<String>, L: Into<String>>(items: impl IntoIterator<Item = (V, L)>) -> Self {
        Choices(items.into_iter().map(|(v, l)| Choice { value: v.into(), label: l.into() }).collect())
    }

    /// Choices whose value is also their label (colleges and majors as the roster has them).
    pub fn same<S: Into<String>>(items: impl IntoIterator<Item = S>) -> Self {
        Choices(
            items
                .into_iter()
                .map(|s| {
                    let s = s.into();
                    Choice { value: s.clone(), label: s }
                })
                .collect(),
        )
    }

    /// Class years `from..=to`, in order.
    pub fn class_years(from: i32, to: i32) -> Self {
        Choices::same((from..=to).map(|y| y.to_string()))
    }

    /// The currencies the office deals in: "US dollars (USD)", ...
    pub fn currencies() -> Self {
        Choices::new(money::CURRENCIES.iter().map(|(code, _, _, name)| (*code, format!("{name} ({code})"))))
    }

    pub fn iter(&self) -> impl Iterator<Item = &Choice> {
        self.0.iter()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The label of the choice `value`, if it is one.
    pub fn label_of(&self, value: &str) -> Option<&str> {
        self.0.iter().find(|c| c.value == value).map(|c| c.label.as_str())
    }

    /// The submitted `raw` value (trimmed) if it is one of the choices, else the problem
    /// to note under the field ("choose one of the listed ...": only a changed page sends another).
    pub fn pick(&self, raw: &str) -> Result<&Choice, String> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err("choose one".to_owned());
        }
        self.0.iter().find(|c| c.value == raw).ok_or_else(|| format!("`{raw}` is not one of the choices"))
    }
}

/// How a field is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Text,
    Email,
    Url,
    /// A number, shown as a text input with a numeric keyboard, so whatever was typed
    /// ("twelve", "1,200") comes back as it was (a `type=number` input drops what is not
    /// a number).
    Number,
    Date,
    Password,
    Textarea,
    Select,
    /// Several of a list (checkboxes in a fieldset).
    Checkboxes,
    /// One of a list (radio buttons in a fieldset).
    Radios,
}

/// One field of a form: its name (as submitted and as its problems name it), its label,
/// and how it is shown.
#[derive(Debug, Clone)]
pub struct Field {
    name: String,
    label: String,
    kind: Kind,
    hint: Option<String>,
    required: bool,
    optional: bool,
    choices: Choices,
    placeholder: Option<String>,
    autocomplete: Option<String>,
    inputmode: Option<String>,
    rows: u32,
    list: Option<String>,
}

impl Field {
    pub fn new(kind: Kind, name: &str, label: &str) -> Self {
        Field {
            name: name.to_owned(),
            label: label.to_owned(),
            kind,
            hint: None,
            required: false,
            optional: false,
            choices: Choices::default(),
            placeholder: None,
            autocomplete: None,
            inputmode: (kind == Kind::Number).then(|| "numeric".to_owned()),
            rows: 6,
            list: None,
        }
    }

    pub fn text(name: &str, label: &str) -> Self {
        Field::new(Kind::Text, name, label)
    }
    pub fn email(name: &str, label: &str) -> Self {
        Field::new(Kind::Email, name, label).autocomplete("email")
    }
    pub fn url(name: &str, label: &str) -> Self {
        Field::new(Kind::Url, name, label)
    }
    /// A whole number; `.inputmode("decimal")` for an amount with cents.
    pub fn number(name: &str, label: &str) -> Self {
        Field::new(Kind::Number, name, label)
    }
    pub fn date(name: &str, label: &str) -> Self {
        Field::new(Kind::Date, name, label)
    }
    /// Never shown back: a password field comes back empty.
    pub fn password(name: &str, label: &str) -> Self {
        Field::new(Kind::Password, name, label)
    }
    pub fn textarea(name: &str, label: &str) -> Self {
        Field::new(Kind::Textarea, name, label)
    }
    pub fn select(name: &str, label: &str, choices: Choices) -> Self {
        Field { choices, ..Field::new(Kind::Select, name, label) }
    }
    pub fn checkboxes(name: &str, label: &str, choices: Choices) -> Self {
        Field { choices, ..Field::new(Kind::Checkboxes, name, label) }
    }
    pub fn radios(name: &str, label: &str, choices: Choices) -> Self {
        Field { choices, ..Field::new(Kind::Radios, name, label) }
    }

    /// A line under the label: what to enter, in what form ("From 5 to 40").
    pub fn hint(mut self, hint: &str) -> Self {
        self.hint = Some(hint.to_owned());
        self
    }
    /// Marked `required` for the browser and assistive technology (the form itself
    /// carries `novalidate`, so the server reports every problem at once).
    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }
    /// "(optional)" after the label.
    pub fn optional(mut self) -> Self {
        self.optional = true;
        self
    }
    /// A select's first, empty option ("Choose an employer").
    pub fn placeholder(mut self, text: &str) -> Self {
        self.placeholder = Some(text.to_owned());
        self
    }
    pub fn autocomplete(mut self, token: &str) -> Self {
        self.autocomplete = Some(token.to_owned());
        self
    }
    pub fn inputmode(mut self, mode: &str) -> Self {
        self.inputmode = Some(mode.to_owned());
        self
    }
    /// Suggestions as people type, from the page's `<datalist id="…">` (works without
    /// JavaScript; anything else may still be typed).
    pub fn suggestions(mut self, datalist_id: &str) -> Self {
        self.list = Some(datalist_id.to_owned());
        self
    }
    /// A textarea's height in lines (6 unless set).
    pub fn rows(mut self, rows: u32) -> Self {
        self.rows = rows;
        self
    }

    pub fn name(&self) -> &str {
        &self.name
    }
    pub fn label(&self) -> &str {
        &self.label
    }
}

/// A form: its fields, the values it shows, and its problems.
#[derive(Debug, Clone, Default)]
pub struct Form {
    fields: Vec<Field>,
    values: Values,
    problems: Problems,
}

/// The id of a field's input (the first choice's, for a list): what the summary links to.
pub fn field_id(name: &str) -> String {
    format!("field-{name}")
}

/// What a person reads for a problem: "Hours: must be a whole number from 5 to 40".
pub fn message(label: &str, problem: &str) -> String {
    format!("{label}: {problem}")
}

/// A label for a field the form does not describe ("employer_id" → "Employer"), so a
/// problem of a rule is never shown under a bare internal name.
fn fallback_label(name: &str) -> String {
    let words = name.strip_suffix("_id").unwrap_or(name).replace('_', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

impl Form {
    pub fn new(fields: impl IntoIterator<Item = Field>) -> Self {
        Form { fields: fields.into_iter().collect(), ..Form::default() }
    }

    /// With these values shown (the stored record, or what was submitted).
    pub fn with_values(mut self, values: Values) -> Self {
        self.values = values;
        self
    }

    /// With these problems, each shown beside its field and in the summary.
    pub fn with_problems(mut self, problems: Problems) -> Self {
        self.problems = problems;
        self
    }

    pub fn values(&self) -> &Values {
        &self.values
    }

    pub fn problems(&self) -> &Problems {
        &self.problems
    }

    pub fn is_invalid(&self) -> bool {
        !self.problems.is_empty()
    }

    /// The status the page is answered with: 422 with problems, else 200.
    pub fn status(&self) -> StatusCode {
        if self.is_invalid() {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        }
    }

    /// The label of field `name` (a readable fallback for a field the form does not have).
    pub fn label_of(&self, name: &str) -> String {
        self.fields.iter().find(|f| f.name == name).map(|f| f.label.clone()).unwrap_or_else(|| fallback_label(name))
    }

    /// Every problem as a person reads it, in the order of the form's fields (then any for
    /// a field the form does not show): "Hours: must be a whole number from 5 to 40".
    pub fn messages(&self) -> Vec<String> {
        self.errors().into_iter().map(|e| e.message).collect()
    }

    fn errors(&self) -> Vec<ErrorView> {
        let mut out = Vec::new();
        for f in &self.fields {
            for p in self.problems.iter().filter(|p| p.field == f.name) {
                out.push(ErrorView {
                    field: f.name.clone(),
                    label: f.label.clone(),
                    problem: p.problem.clone(),
                    message: message(&f.label, &p.problem),
                    href: Some(format!("#{}", field_id(&f.name))),
                });
            }
        }
        let unknown: Vec<&FieldProblem> =
            self.problems.iter().filter(|p| !self.fields.iter().any(|f| f.name == p.field)).collect();
        for p in unknown {
            let label = fallback_label(&p.field);
            out.push(ErrorView {
                field: p.field.clone(),
                message: message(&label, &p.problem),
                label,
                problem: p.problem.clone(),
                href: None,
            });
        }
        out
    }

    fn field_view(&self, f: &Field) -> FieldView {
        let id = field_id(&f.name);
        let problems: Vec<String> =
            self.problems.iter().filter(|p| p.field == f.name).map(|p| message(&f.label, &p.problem)).collect();
        let invalid = !problems.is_empty();
        let hint_id = format!("{id}-hint");
        let error_id = format!("{id}-error");
        let describedby = [f.hint.as_ref().map(|_| hint_id.as_str()), invalid.then_some(error_id.as_str())]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        let kept = self.values.all(&f.name);
        let choices = f
            .choices
            .iter()
            .enumerate()
            .map(|(i, c)| ChoiceView {
                // The first choice carries the field's id: the summary's link lands on it.
                id: if i == 0 { id.clone() } else { format!("{id}-{}", i + 1) },
                value: c.value.clone(),
                label: c.label.clone(),
                selected: kept.contains(&c.value),
            })
            .collect();
        let input_type = match f.kind {
            Kind::Email => "email",
            Kind::Url => "url",
            Kind::Date => "date",
            Kind::Password => "password",
            Kind::Checkboxes => "checkbox",
            Kind::Radios => "radio",
            Kind::Text | Kind::Number | Kind::Textarea | Kind::Select => "text",
        };
        FieldView {
            name: f.name.clone(),
            id,
            label: f.label.clone(),
            kind: f.kind,
            input_type,
            is_textarea: f.kind == Kind::Textarea,
            is_select: f.kind == Kind::Select,
            is_group: matches!(f.kind, Kind::Checkboxes | Kind::Radios),
            value: if f.kind == Kind::Password { String::new() } else { self.values.get(&f.name).to_owned() },
            hint: f.hint.clone(),
            hint_id,
            error_id,
            describedby,
            invalid,
            problems,
            required: f.required,
            optional: f.optional,
            placeholder: f.placeholder.clone(),
            autocomplete: f.autocomplete.clone(),
            inputmode: f.inputmode.clone(),
            rows: f.rows,
            list: f.list.clone(),
            choices,
        }
    }
}

/// What a template gets as `form`: `fields` by name and `list` in order (each what the
/// `partials/field` partial shows), `errors` (what `partials/error_summary` lists), and
/// `invalid`.
impl Serialize for Form {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let list: Vec<FieldView> = self.fields.iter().map(|f| self.field_view(f)).collect();
        let fields: BTreeMap<&str, &FieldView> = list.iter().map(|v| (v.name.as_str(), v)).collect();
        FormView { fields, list: &list, errors: self.errors(), invalid: self.is_invalid() }.serialize(s)
    }
}

#[derive(Serialize)]
struct FormView<'a> {
    fields: BTreeMap<&'a str, &'a FieldView>,
    list: &'a [FieldView],
    errors: Vec<ErrorView>,
    invalid: bool,
}

/// One problem in the summary: its message and the link to its field (none for a field
/// the form does not show).
#[derive(Debug, Clone, Serialize)]
struct ErrorView {
    field: String,
    label: String,
    problem: String,
    message: String,
    href: Option<String>,
}

/// One field as the `partials/field` partial shows it. Every key is always present
/// (templates are strict).
#[derive(Debug, Clone, Serialize)]
struct FieldView {
    name: String,
    id: String,
    label: String,
    kind: Kind,
    /// The `type` of the input (of each choice's, for a list).
    input_type: &'static str,
    is_textarea: bool,
    is_select: bool,
    /// Checkboxes or radio buttons: a fieldset with a legend.
    is_group: bool,
    value: String,
    hint: Option<String>,
    hint_id: String,
    error_id: String,
    /// The hint's and the error's ids, for `aria-describedby` ("" when neither shows).
    describedby: String,
    invalid: bool,
    /// Each problem, with the label: "Hours: must be ...".
    problems: Vec<String>,
    required: bool,
    optional: bool,
    placeholder: Option<String>,
    autocomplete: Option<String>,
    inputmode: Option<String>,
    rows: u32,
    list: Option<String>,
    choices: Vec<ChoiceView>,
}

#[derive(Debug, Clone, Serialize)]
struct ChoiceView {
    id: String,
    value: String,
    label: String,
    selected: bool,
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Serialize, Deserialize)]
    struct Posted {
        title: String,
        hours: String,
        majors: Vec<String>,
        note: Option<String>,
        confirm: Option<String>,
        csrf_token: String,
    }

    fn posted() -> Posted {
        Posted {
            title: "  Churn <study> ".into(),
            hours: "twelve".into(),
            majors: vec!["Economics".into(), "History".into()],
            note: None,
            confirm: Some("yes".into()),
            csrf_token: "t".into(),
        }
    }

    #[test]
    fn values_are_kept_verbatim_from_a_form_struct_or_pairs() {
        let v = Values::of(&posted());
        assert_eq!(v.get("title"), "  Churn <study> ", "not trimmed, not escaped");
        assert_eq!(v.get("hours"), "twelve");
        assert_eq!(v.all("majors"), ["Economics", "History"]);
        assert_eq!(v.get("note"), "");
        assert!(v.has("note") && v.has("confirm") && !v.has("nope"));
        assert_eq!(
            v.pairs(),
            [("hours", "twelve"), ("majors", "Economics"), ("majors", "History"), ("title", "  Churn <study> ")],
            "no token, no confirmation answer"
        );
        let p = Values::from_pairs([("majors", "A"), ("majors", "B"), ("hours", "5")]);
        assert_eq!(p.all("majors"), ["A", "B"]);
        assert_eq!(Values::new().with("currency", "USD").get("currency"), "USD");
        assert_eq!(
            Values::of(&serde_json::json!({"n": 5, "b": true})),
            Values::from_pairs([("n", "5"), ("b", "true")])
        );
    }

    fn form() -> Form {
        Form::new([
            Field::text("title", "Project title").required(),
            Field::number("hours", "Hours of work").hint("From 5 to 40"),
            Field::checkboxes("majors", "Majors", Choices::same(["Economics", "History", "Physics"])),
            Field::textarea("note", "Note to the student").optional(),
            Field::password("secret", "Password"),
        ])
    }

    #[test]
    fn problems_are_told_with_labels_in_the_form_s_order() {
        let mut p = Problems::new();
        p.add("hours", "must be a whole number from 5 to 40");
        p.add("employer_id", "choose an employer");
        p.add("title", "is required");
        let f = form().with_values(Values::of(&posted())).with_problems(p);
        assert_eq!(f.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            f.messages(),
            [
                "Project title: is required",
                "Hours of work: must be a whole number from 5 to 40",
                "Employer: choose an employer",
            ],
            "labels, never names; unknown fields last with a readable label"
        );
        let v = serde_json::to_value(&f).unwrap();
        assert_eq!(v["invalid"], true);
        assert_eq!(v["errors"][0]["href"], "#field-title");
        assert_eq!(v["errors"][2]["href"], serde_json::Value::Null, "no link to a field that is not there");
        let hours = &v["fields"]["hours"];
        assert_eq!(hours["value"], "twelve");
        assert_eq!(hours["input_type"], "text", "a number keeps what was typed");
        assert_eq!(hours["inputmode"], "numeric");
        assert_eq!(hours["describedby"], "field-hours-hint field-hours-error");
        assert_eq!(v["fields"]["title"]["describedby"], "field-title-error");
        assert_eq!(v["fields"]["note"]["describedby"], "", "nothing to describe a valid field without a hint");
        assert_eq!(v["fields"]["note"]["invalid"], false);
        let majors = &v["fields"]["majors"]["choices"];
        assert_eq!(majors[0]["id"], "field-majors", "the first choice carries the field's id");
        assert_eq!(majors[1]["id"], "field-majors-2");
        assert_eq!(
            majors.as_array().unwrap().iter().map(|c| c["selected"].as_bool().unwrap()).collect::<Vec<_>>(),
            [true, true, false]
        );
        assert_eq!(v["list"].as_array().unwrap().len(), 5);
    }

    #[test]
    fn a_password_is_never_shown_back() {
        let f = form().with_values(Values::new().with("secret", "hunter2hunter2"));
        let v = serde_json::to_value(&f).unwrap();
        assert_eq!(v["fields"]["secret"]["value"], "");
        assert_eq!(f.status(), StatusCode::OK);
    }

    #[test]
    fn choices_check_what_was_submitted() {
        let c = Choices::currencies();
        assert_eq!(c.label_of("GBP"), Some("Pounds sterling (GBP)"));
        assert_eq!(c.pick(" EUR ").unwrap().value, "EUR");
        assert_eq!(c.pick("XYZ").unwrap_err(), "`XYZ` is not one of the choices");
        assert_eq!(c.pick("").unwrap_err(), "choose one");
        let years = Choices::class_years(2026, 2029);
        assert_eq!(years.iter().map(|c| c.value.as_str()).collect::<Vec<_>>(), ["2026", "2027", "2028", "2029"]);
        let roles = Choices::new(crate::core::Role::ALL.map(|r| (r.as_str(), r.label())));
        assert_eq!(roles.len(), crate::core::Role::ALL.len());
    }
}
