# django-dsfr ships no type information; its base form is a Django form with DSFR rendering.
from django import forms

class DsfrBaseForm(forms.Form): ...
