-- What the customer module publishes to the reports (a customer's name, type and ИНН beside its figures); its
-- contacts stay private to it.
create view customer_directory as
select c.id as customer_id, c.type, c.name, c.inn
from customer c;
