"""Situation pages, one module per activity: `listing`, `report`, `detail`, `follow_up`, `persons`,
`coordination`, `emergency`. Each view declares its rule; situations are reached only through the
visibility policy (`Situation.objects.visible_to` / `access_situation`): missing and forbidden both answer
404. Writes go through `services`, reads of a situation's data are recorded there too."""
