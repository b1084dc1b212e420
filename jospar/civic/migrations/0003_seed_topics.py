"""The initial topics of Civic Control, each with its answer time and a short survey.

An administrator keeps the list afterwards (names in three languages, answer time, questions);
running this again adds only topics that are missing, and never changes one already there.
"""

from django.db import migrations

YES_NO = [
    {"key": "yes", "name_kk": "Иә", "name_ru": "Да", "name_en": "Yes"},
    {"key": "no", "name_kk": "Жоқ", "name_ru": "Нет", "name_en": "No"},
]
OTHER = {"key": "other", "name_kk": "Басқа", "name_ru": "Другое", "name_en": "Other"}


def _choice(key, kk, ru, en):
    return {"key": key, "name_kk": kk, "name_ru": ru, "name_en": en}


TOPICS = [
    {
        "code": "housing",
        "group": "utilities",
        "name_kk": "Тұрғын үй-коммуналдық шаруашылық",
        "name_ru": "Жилищно-коммунальное хозяйство",
        "name_en": "Housing and utilities",
        "description_kk": "Жылу, су, кәріз, электр, газ, лифт, көппәтерлі үйдің ортақ мүлкі.",
        "description_ru": "Отопление, вода, канализация, электричество, газ, лифты, общее "
        "имущество многоквартирного дома.",
        "description_en": "Heating, water, sewerage, electricity, gas, lifts, the common "
        "property of a block of flats.",
        "keywords": "ТКШ, ЖКХ, жылу, су, кәріз, отопление, вода, канализация, лифт, газ",
        "days": 10,
        "questions": [
            {
                "code": "service",
                "datatype": "singlevaluelist",
                "required": True,
                "text_kk": "Қай коммуналдық қызмет?",
                "text_ru": "Какая коммунальная услуга?",
                "text_en": "Which utility service?",
                "values": [
                    _choice("heating", "Жылумен жабдықтау", "Отопление", "Heating"),
                    _choice("water", "Сумен жабдықтау", "Водоснабжение", "Water supply"),
                    _choice("sewerage", "Су бұру (кәріз)", "Канализация", "Sewerage"),
                    _choice("electricity", "Электрмен жабдықтау", "Электроснабжение",
                            "Electricity"),
                    _choice("gas", "Газбен жабдықтау", "Газоснабжение", "Gas supply"),
                    _choice("lift", "Лифт", "Лифт", "Lift"),
                    OTHER,
                ],
            },
            {
                "code": "flats",
                "datatype": "number",
                "required": False,
                "text_kk": "Қанша пәтерге қатысты?",
                "text_ru": "Сколько квартир затронуто?",
                "text_en": "How many flats are affected?",
            },
        ],
    },
    {
        "code": "roads",
        "group": "transport",
        "name_kk": "Жолдар мен жаяу жүргіншілер жолдары",
        "name_ru": "Дороги и тротуары",
        "name_en": "Roads and pavements",
        "description_kk": "Шұңқырлар, бүлінген жол жабыны, жол белгілері мен таңбалау, "
        "қар мен көктайғақ.",
        "description_ru": "Ямы, разрушенное покрытие, дорожные знаки и разметка, снег и гололёд.",
        "description_en": "Potholes, damaged surface, road signs and markings, snow and ice.",
        "keywords": "жол, шұңқыр, тротуар, дорога, яма, асфальт, разметка, гололёд",
        "days": 10,
        "questions": [
            {
                "code": "problem",
                "datatype": "singlevaluelist",
                "required": True,
                "text_kk": "Мәселе неде?",
                "text_ru": "В чём проблема?",
                "text_en": "What is the problem?",
                "values": [
                    _choice("pothole", "Шұңқыр", "Яма", "Pothole"),
                    _choice("surface", "Бүлінген жабын", "Разрушенное покрытие",
                            "Damaged surface"),
                    _choice("signs", "Жол белгілері немесе таңбалау",
                            "Дорожные знаки или разметка", "Road signs or markings"),
                    _choice("snow", "Қар немесе көктайғақ", "Снег или гололёд", "Snow or ice"),
                    OTHER,
                ],
            },
            {
                "code": "danger",
                "datatype": "singlevaluelist",
                "required": False,
                "text_kk": "Жол қозғалысына қауіп төндіре ме?",
                "text_ru": "Создаёт ли это угрозу дорожному движению?",
                "text_en": "Is it a danger to traffic?",
                "values": YES_NO,
            },
        ],
    },
    {
        "code": "transport",
        "group": "transport",
        "name_kk": "Қоғамдық көлік",
        "name_ru": "Общественный транспорт",
        "name_en": "Public transport",
        "description_kk": "Бағыттар, кестелер, аялдамалар, жүргізушілердің әрекеттері.",
        "description_ru": "Маршруты, расписание, остановки, действия водителей.",
        "description_en": "Routes, timetables, stops, drivers' conduct.",
        "keywords": "автобус, аялдама, бағыт, маршрут, остановка, транспорт",
        "days": 10,
        "questions": [
            {
                "code": "route",
                "datatype": "string",
                "required": False,
                "text_kk": "Бағыттың нөмірі",
                "text_ru": "Номер маршрута",
                "text_en": "Route number",
            },
            {
                "code": "when",
                "datatype": "datetime",
                "required": False,
                "text_kk": "Бұл қашан болды?",
                "text_ru": "Когда это произошло?",
                "text_en": "When did it happen?",
            },
        ],
    },
    {
        "code": "lighting",
        "group": "utilities",
        "name_kk": "Көшелерді жарықтандыру",
        "name_ru": "Уличное освещение",
        "name_en": "Street lighting",
        "description_kk": "Жанбайтын немесе бүлінген шамдар, жарықтандырылмаған көшелер мен аулалар.",
        "description_ru": "Не горящие или повреждённые фонари, неосвещённые улицы и дворы.",
        "description_en": "Lamps out or damaged, unlit streets and courtyards.",
        "keywords": "шам, жарық, фонарь, освещение",
        "days": 5,
        "questions": [
            {
                "code": "lamps",
                "datatype": "number",
                "required": False,
                "text_kk": "Қанша шам жанбайды?",
                "text_ru": "Сколько фонарей не горит?",
                "text_en": "How many lamps are out?",
            },
            {
                "code": "since",
                "datatype": "datetime",
                "required": False,
                "text_kk": "Қашаннан бері?",
                "text_ru": "С какого времени?",
                "text_en": "Since when?",
            },
        ],
    },
    {
        "code": "waste",
        "group": "environment",
        "name_kk": "Қоқыс шығару",
        "name_ru": "Вывоз мусора",
        "name_en": "Waste collection",
        "description_kk": "Толып кеткен контейнерлер, уақытында шығарылмаған қоқыс.",
        "description_ru": "Переполненные контейнеры, мусор, не вывезенный вовремя.",
        "description_en": "Overflowing containers, waste not collected on time.",
        "keywords": "қоқыс, контейнер, мусор",
        "days": 5,
        "questions": [
            {
                "code": "problem",
                "datatype": "singlevaluelist",
                "required": True,
                "text_kk": "Мәселе неде?",
                "text_ru": "В чём проблема?",
                "text_en": "What is the problem?",
                "values": [
                    _choice("overflowing", "Контейнерлер толып кеткен",
                            "Контейнеры переполнены", "Containers overflowing"),
                    _choice("missed", "Қоқыс шығарылмайды", "Мусор не вывозится",
                            "Waste is not collected"),
                    _choice("container", "Контейнер сынған немесе жоқ",
                            "Контейнер сломан или отсутствует", "Container broken or missing"),
                    OTHER,
                ],
            },
        ],
    },
    {
        "code": "ecology",
        "group": "environment",
        "name_kk": "Экология",
        "name_ru": "Экология",
        "name_en": "Ecology",
        "description_kk": "Рұқсатсыз қоқыс үйінділері, ауа мен судың ластануы, ағаштарды кесу.",
        "description_ru": "Несанкционированные свалки, загрязнение воздуха и воды, вырубка "
        "деревьев.",
        "description_en": "Illegal dumps, air and water pollution, felling of trees.",
        "keywords": "экология, свалка, ағаш, дерево, ластану, загрязнение",
        "days": 10,
        "questions": [
            {
                "code": "problem",
                "datatype": "singlevaluelist",
                "required": True,
                "text_kk": "Мәселе неде?",
                "text_ru": "В чём проблема?",
                "text_en": "What is the problem?",
                "values": [
                    _choice("dump", "Рұқсатсыз қоқыс үйіндісі", "Несанкционированная свалка",
                            "Illegal dump"),
                    _choice("air", "Ауаның ластануы", "Загрязнение воздуха", "Air pollution"),
                    _choice("water", "Су айдынының ластануы", "Загрязнение водоёма",
                            "Water pollution"),
                    _choice("trees", "Ағаштарды заңсыз кесу", "Незаконная вырубка деревьев",
                            "Illegal felling of trees"),
                    OTHER,
                ],
            },
        ],
    },
    {
        "code": "landscaping",
        "group": "city",
        "name_kk": "Абаттандыру және көгалдандыру",
        "name_ru": "Благоустройство и озеленение",
        "name_en": "Public spaces and greenery",
        "description_kk": "Аулалар, балалар ойын алаңдары, саябақтар, орындықтар, көгалдар.",
        "description_ru": "Дворы, детские площадки, парки, скамейки, газоны.",
        "description_en": "Courtyards, playgrounds, parks, benches, lawns.",
        "keywords": "аула, ойын алаңы, саябақ, двор, площадка, парк",
        "days": 15,
        "questions": [
            {
                "code": "place",
                "datatype": "singlevaluelist",
                "required": False,
                "text_kk": "Қай жерде?",
                "text_ru": "Где именно?",
                "text_en": "Where exactly?",
                "values": [
                    _choice("yard", "Аула", "Двор", "Courtyard"),
                    _choice("playground", "Балалар ойын алаңы", "Детская площадка",
                            "Playground"),
                    _choice("park", "Саябақ немесе сквер", "Парк или сквер", "Park or square"),
                    OTHER,
                ],
            },
        ],
    },
    {
        "code": "education",
        "group": "social",
        "name_kk": "Білім беру",
        "name_ru": "Образование",
        "name_en": "Education",
        "description_kk": "Мектептер, балабақшалар, колледждер: ғимараттар, орындар, жағдайлар.",
        "description_ru": "Школы, детские сады, колледжи: здания, места, условия.",
        "description_en": "Schools, kindergartens, colleges: buildings, places, conditions.",
        "keywords": "мектеп, балабақша, школа, детский сад, колледж",
        "days": 10,
        "questions": [
            {
                "code": "institution_kind",
                "datatype": "singlevaluelist",
                "required": True,
                "text_kk": "Қандай ұйым?",
                "text_ru": "Какая организация?",
                "text_en": "What kind of institution?",
                "values": [
                    _choice("school", "Мектеп", "Школа", "School"),
                    _choice("kindergarten", "Балабақша", "Детский сад", "Kindergarten"),
                    _choice("college", "Колледж", "Колледж", "College"),
                    OTHER,
                ],
            },
            {
                "code": "institution",
                "datatype": "string",
                "required": False,
                "text_kk": "Ұйымның атауы немесе нөмірі",
                "text_ru": "Название или номер организации",
                "text_en": "Name or number of the institution",
            },
        ],
    },
    {
        "code": "health",
        "group": "social",
        "name_kk": "Денсаулық сақтау",
        "name_ru": "Здравоохранение",
        "name_en": "Health care",
        "description_kk": "Емханалар, ауруханалар, дәріханалар, жедел жәрдем.",
        "description_ru": "Поликлиники, больницы, аптеки, скорая помощь.",
        "description_en": "Clinics, hospitals, pharmacies, ambulance.",
        "keywords": "емхана, аурухана, поликлиника, больница, скорая",
        "days": 10,
        "questions": [
            {
                "code": "institution",
                "datatype": "string",
                "required": False,
                "text_kk": "Медициналық ұйымның атауы",
                "text_ru": "Название медицинской организации",
                "text_en": "Name of the medical institution",
            },
        ],
    },
    {
        "code": "animals",
        "group": "city",
        "name_kk": "Иесіз жануарлар",
        "name_ru": "Безнадзорные животные",
        "name_en": "Stray animals",
        "description_kk": "Иесіз иттер мен мысықтар, өлген жануарлар.",
        "description_ru": "Безнадзорные собаки и кошки, павшие животные.",
        "description_en": "Stray dogs and cats, dead animals.",
        "keywords": "ит, иесіз, собаки, бродячие",
        "days": 5,
        "questions": [
            {
                "code": "count",
                "datatype": "number",
                "required": False,
                "text_kk": "Қанша жануар?",
                "text_ru": "Сколько животных?",
                "text_en": "How many animals?",
            },
        ],
    },
    {
        "code": "other",
        "group": "other",
        "name_kk": "Басқа мәселе",
        "name_ru": "Другая проблема",
        "name_en": "Another problem",
        "description_kk": "Басқа тақырыптарға жатпайтын жергілікті мәселе.",
        "description_ru": "Местная проблема, не относящаяся к другим темам.",
        "description_en": "A local problem that fits no other topic.",
        "keywords": "",
        "days": 15,
        "questions": [],
    },
]


def seed(apps, schema_editor):
    Topic = apps.get_model("civic", "Topic")
    TopicQuestion = apps.get_model("civic", "TopicQuestion")
    existing = set(Topic.objects.values_list("code", flat=True))
    for position, spec in enumerate(TOPICS, start=1):
        if spec["code"] in existing:
            continue
        topic = Topic.objects.create(
            code=spec["code"],
            group=spec["group"],
            name_kk=spec["name_kk"],
            name_ru=spec["name_ru"],
            name_en=spec["name_en"],
            description_kk=spec["description_kk"],
            description_ru=spec["description_ru"],
            description_en=spec["description_en"],
            keywords=spec["keywords"],
            response_working_days=spec["days"],
            position=position * 10,
            is_active=True,
        )
        for number, question in enumerate(spec["questions"], start=1):
            TopicQuestion.objects.create(
                topic=topic,
                code=question["code"],
                position=number * 10,
                datatype=question["datatype"],
                required=question["required"],
                text_kk=question["text_kk"],
                text_ru=question["text_ru"],
                text_en=question["text_en"],
                values=question.get("values", []),
            )


def unseed(apps, schema_editor):
    Topic = apps.get_model("civic", "Topic")
    codes = [spec["code"] for spec in TOPICS]
    Topic.objects.filter(code__in=codes, reports__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("civic", "0002_accounts_approximate_location_private_originals")]

    operations = [migrations.RunPython(seed, unseed)]
