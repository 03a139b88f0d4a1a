//! The database mapping of the text-valued types every area shares: statuses (enums)
//! and ids (newtypes over the UUID text ids), stored as `Text` on both backends.
//!
//! Why this lives in core, not in `db`: diesel's `AsExpression` and `FromSqlRow` are
//! derives, so they must sit on the type's own definition, and these types are defined
//! in core (ids, roles) or in an area's `rules.rs` (statuses), which must not depend on
//! `db`. So the macros that define them are here. They use diesel's type-mapping traits
//! only (`AsExpression`, `FromSqlRow`, `FromSql`, `ToSql`, generic over the backend, so
//! they serve SQLite, PostgreSQL and the `MultiConnection` backend alike): core opens no
//! connection and runs no query.

/// Defines an enum stored as text (a status, a tier, a role): `as_str` (the stored and
/// submitted value), `label` (the office's words), `ALL`, `Display` (the value),
/// `FromStr` (trims; with `ignore_case`, any case; the error names the valid values),
/// serde as the value, and the diesel mapping to `Text`. A stored value that is not one
/// of the variants is a deserialization error, never a default.
///
/// ```ignore
/// crate::core::text_enum! {
///     /// Where a partnership stands.
///     pub enum PartnershipStatus: "partnership status" {
///         Prospect => "prospect", "Prospect";
///         Active => "active", "Active";
///     }
/// }
/// // `ignore_case` after the description accepts "Admin" for "admin" in `FromStr`.
/// ```
macro_rules! text_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident : $what:literal, ignore_case {
            $( $(#[$vmeta:meta])* $variant:ident => $text:literal, $label:literal; )+
        }
    ) => {
        $crate::core::text_enum!(@define true; $(#[$meta])* $vis enum $name : $what {
            $( $(#[$vmeta])* $variant => $text, $label; )+
        });
    };
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident : $what:literal {
            $( $(#[$vmeta:meta])* $variant:ident => $text:literal, $label:literal; )+
        }
    ) => {
        $crate::core::text_enum!(@define false; $(#[$meta])* $vis enum $name : $what {
            $( $(#[$vmeta])* $variant => $text, $label; )+
        });
    };
    (
        @define $fold:literal;
        $(#[$meta:meta])*
        $vis:vis enum $name:ident : $what:literal {
            $( $(#[$vmeta:meta])* $variant:ident => $text:literal, $label:literal; )+
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, diesel::expression::AsExpression, diesel::deserialize::FromSqlRow,
        )]
        #[diesel(sql_type = diesel::sql_types::Text)]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every value, in order.
            pub const ALL: [$name; [$(stringify!($variant)),+].len()] = [$($name::$variant),+];

            /// The value as stored, and as forms and links carry it.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $text, )+
                }
            }

            /// The value in the office's words, for pages.
            pub const fn label(self) -> &'static str {
                match self {
                    $( $name::$variant => $label, )+
                }
            }

            /// The value a stored text names, exactly as stored (no trimming, no case).
            pub fn from_stored(text: &str) -> Option<$name> {
                match text {
                    $( $text => Some($name::$variant), )+
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(raw: &str) -> Result<Self, String> {
                let trimmed = raw.trim();
                let folded = if $fold { trimmed.to_ascii_lowercase() } else { trimmed.to_owned() };
                $name::from_stored(&folded)
                    .ok_or_else(|| format!("`{raw}` is not a {} ({})", $what, [$($text),+].join(", ")))
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let raw = String::deserialize(d)?;
                raw.parse().map_err(serde::de::Error::custom)
            }
        }

        impl<DB> diesel::serialize::ToSql<diesel::sql_types::Text, DB> for $name
        where
            DB: diesel::backend::Backend,
            str: diesel::serialize::ToSql<diesel::sql_types::Text, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut diesel::serialize::Output<'b, '_, DB>) -> diesel::serialize::Result {
                <str as diesel::serialize::ToSql<diesel::sql_types::Text, DB>>::to_sql(self.as_str(), out)
            }
        }

        impl<DB> diesel::deserialize::FromSql<diesel::sql_types::Text, DB> for $name
        where
            DB: diesel::backend::Backend,
            String: diesel::deserialize::FromSql<diesel::sql_types::Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
                let text = <String as diesel::deserialize::FromSql<diesel::sql_types::Text, DB>>::from_sql(bytes)?;
                $name::from_stored(&text)
                    .ok_or_else(|| format!("`{text}` is not a {} (stored value)", $what).into())
            }
        }
    };
}

/// Defines a newtype over `String` stored as text: ids, emails. `as_str`, `Deref<str>`
/// (so a `&UserId` is a `&str` where one is wanted), `Display`, `From<String>`, equality
/// with strings, transparent serde, and the diesel mapping to `Text` (in filters:
/// `users::id.eq(&user_id)`; in rows: a field of this type).
macro_rules! text_newtype {
    ( $(#[$meta:meta])* $vis:vis struct $name:ident; ) => {
        $(#[$meta])*
        #[derive(
            Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
            diesel::expression::AsExpression, diesel::deserialize::FromSqlRow,
        )]
        #[serde(transparent)]
        #[diesel(sql_type = diesel::sql_types::Text)]
        $vis struct $name(String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}({:?})", stringify!($name), self.0)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl From<$name> for String {
            fn from(v: $name) -> String {
                v.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                &self.0 == other
            }
        }

        impl PartialEq<$name> for String {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }

        impl<DB> diesel::serialize::ToSql<diesel::sql_types::Text, DB> for $name
        where
            DB: diesel::backend::Backend,
            str: diesel::serialize::ToSql<diesel::sql_types::Text, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut diesel::serialize::Output<'b, '_, DB>) -> diesel::serialize::Result {
                <str as diesel::serialize::ToSql<diesel::sql_types::Text, DB>>::to_sql(self.0.as_str(), out)
            }
        }

        impl<DB> diesel::deserialize::FromSql<diesel::sql_types::Text, DB> for $name
        where
            DB: diesel::backend::Backend,
            String: diesel::deserialize::FromSql<diesel::sql_types::Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
                <String as diesel::deserialize::FromSql<diesel::sql_types::Text, DB>>::from_sql(bytes).map($name)
            }
        }
    };
}

/// Defines an id type: a [`text_newtype!`] with `generate()` (a fresh UUID, as every table's
/// ids are) and `From<String>`/`From<&str>` (an id read from a path or a form: whether it
/// names a record is the query's answer).
macro_rules! text_id {
    ( $( $(#[$meta:meta])* $vis:vis struct $name:ident; )+ ) => {
        $(
            $crate::core::text_newtype! { $(#[$meta])* $vis struct $name; }

            impl $name {
                /// A fresh id for a new record (no `Default`: an id is made on purpose).
                pub fn generate() -> Self {
                    $name(uuid::Uuid::new_v4().to_string())
                }
            }

            impl From<String> for $name {
                fn from(s: String) -> Self {
                    $name(s)
                }
            }

            impl From<&str> for $name {
                fn from(s: &str) -> Self {
                    $name(s.to_owned())
                }
            }
        )+
    };
}

pub(crate) use {text_enum, text_id, text_newtype};
