//! Who people are and what they may do: roles (from the identity provider's claims and
//! from an admin's grants).

pub mod roles;
