DROP TABLE employer_vettings;
DROP TABLE password_resets;
