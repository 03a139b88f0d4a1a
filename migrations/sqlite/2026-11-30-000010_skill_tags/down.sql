DROP TABLE opportunity_class_years;
DROP TABLE opportunity_majors;
DROP TABLE opportunity_colleges;
DROP TABLE opportunity_skills;
