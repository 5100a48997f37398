"""Demo help-centre content: dispute (hand-written; English, Russian, Greek)."""

TOPIC = {
    "slug": "dispute",
    "icon": "🤝",
    "sort_order": 3,
    "email_contact": False,
    "name": {"en": "Disputes", "ru": "Споры", "el": "Διαφορές"},
    "description": {
        "en": "Opening a dispute when an order is missing, wrong or faulty, and how it is decided.",
        "ru": "Как открыть спор, если заказ не пришёл, пришёл не тот или с браком, и как его решают.",
        "el": "Πώς ανοίγετε διαφορά όταν μια παραγγελία λείπει, είναι λάθος ή ελαττωματική.",
    },
}

ENTRIES = [
    {
        "slug": "dispute-item-not-as-described",
        "weight": 100,
        "operator_resolvable": False,
        "email_contact": None,
        "text": {
            "en": (
                "The item is not as described, or I received a different item. What can I do?",
                """If the item differs from the listing (another model, size, colour or
material, missing parts, or a different product altogether), you are protected until
**15 days after delivery confirmation**. Don't confirm delivery until you have checked the
parcel.

1. Take clear photos or a short video of the item, its labels, the packaging and the
   shipping label. For a wrong size or model, show the measurements or model number next to
   the listing.
2. Open the order in **My orders** and press **Open a dispute**.
3. Choose **Item not as described** or **Received a different item**, and what you want: a
   **full refund with return**, or a **partial refund** if you prefer to keep the item.
4. Attach the evidence and describe the difference in a few sentences.

The seller has **5 days** to answer. If the seller doesn't answer, or you don't reach an
agreement, the dispute escalates to the support team, which usually decides within
**3 business days**.

For a return, the seller pays the shipping. Keep the item and all packaging until the
dispute is closed.""",
            ),
            "ru": (
                "Товар не соответствует описанию или пришёл совсем другой. Что делать?",
                """Если товар отличается от описания — другая модель, размер, цвет или
материал, не хватает деталей или пришло вообще не то, — вы защищены до истечения
**15 дней после подтверждения получения**. Не подтверждайте получение, пока не проверите
посылку.

1. Сделайте чёткие фото или короткое видео: товар, его маркировку, упаковку и транспортную
   наклейку. Если не тот размер или модель, покажите замеры или номер модели рядом с
   описанием.
2. Откройте заказ в разделе **«Мои заказы»** и нажмите **«Открыть спор»**.
3. Выберите причину **«Не соответствует описанию»** или **«Пришёл другой товар»** и укажите,
   чего вы хотите: **полный возврат средств с возвратом товара** или **частичный возврат**,
   если готовы оставить товар себе.
4. Приложите доказательства и в нескольких предложениях опишите разницу.

Продавец должен ответить в течение **5 дней**. Если он не ответит или вы не договоритесь,
спор перейдёт к службе поддержки, которая обычно принимает решение за **3 рабочих дня**.

При возврате товара доставку оплачивает продавец. Сохраните товар и всю упаковку до закрытия
спора.""",
            ),
            "el": (
                "Το προϊόν δεν αντιστοιχεί στην περιγραφή ή έλαβα άλλο προϊόν. Τι μπορώ να κάνω;",
                """Αν το προϊόν διαφέρει από την αγγελία (άλλο μοντέλο, μέγεθος, χρώμα ή
υλικό, λείπουν εξαρτήματα ή ήρθε εντελώς άλλο προϊόν), έχετε προστασία έως
**15 ημέρες μετά την επιβεβαίωση παραλαβής**. Μην επιβεβαιώσετε την παραλαβή πριν ελέγξετε
το δέμα.

1. Τραβήξτε καθαρές φωτογραφίες ή σύντομο βίντεο με το προϊόν, τις ετικέτες του, τη
   συσκευασία και την ετικέτα αποστολής. Για λάθος μέγεθος ή μοντέλο, δείξτε τις διαστάσεις
   ή τον κωδικό μοντέλου δίπλα στην περιγραφή.
2. Ανοίξτε την παραγγελία στην ενότητα **«Οι παραγγελίες μου»** και πατήστε
   **«Άνοιγμα διαφοράς»**.
3. Επιλέξτε **«Δεν αντιστοιχεί στην περιγραφή»** ή **«Έλαβα άλλο προϊόν»** και τι ζητάτε:
   **πλήρη επιστροφή χρημάτων με επιστροφή του προϊόντος** ή **μερική επιστροφή**, αν
   προτιμάτε να το κρατήσετε.
4. Επισυνάψτε τα αποδεικτικά και περιγράψτε τη διαφορά σε λίγες προτάσεις.

Ο πωλητής έχει **5 ημέρες** για να απαντήσει. Αν δεν απαντήσει ή δεν καταλήξετε σε συμφωνία,
η διαφορά περνά στην ομάδα υποστήριξης, η οποία συνήθως αποφασίζει μέσα σε
**3 εργάσιμες ημέρες**.

Σε επιστροφή, τα μεταφορικά τα πληρώνει ο πωλητής. Κρατήστε το προϊόν και όλη τη συσκευασία
μέχρι να κλείσει η διαφορά.""",
            ),
        },
    },
    {
        "slug": "dispute-open-to-return-item",
        "weight": 90,
        "operator_resolvable": False,
        "email_contact": None,
        "text": {
            "en": (
                "How do I open a dispute to return an item?",
                """You can open a dispute from the day the parcel is delivered until
**15 days after delivery confirmation**. The steps:

1. Go to **My orders**, find the order and press **Open a dispute**.
2. Select the items you want to return and the reason, for example damaged, defective, not
   as described, or the wrong size was sent.
3. Choose **Return and refund** and upload photos or a video of the problem.
4. Submit. The seller has **5 days** to accept the return, make another offer or reject it.
   If the seller doesn't answer, or you can't agree, the dispute escalates to the support
   team.

Once the return is agreed, you see the return address and, when the seller pays the postage,
a **prepaid return label**. Pack the item with all its accessories, ship it within
**10 days** using a trackable service, and add the tracking number to the dispute.

The refund is sent when the seller confirms receipt, or automatically if the seller does not
respond within **5 days** after the tracking shows the parcel as delivered. You can follow
every step in the dispute on the order page.""",
            ),
            "ru": (
                "Как открыть спор, чтобы вернуть товар?",
                """Открыть спор можно со дня доставки посылки и до истечения
**15 дней после подтверждения получения**. Порядок действий:

1. Перейдите в **«Мои заказы»**, найдите заказ и нажмите **«Открыть спор»**.
2. Отметьте товары, которые хотите вернуть, и укажите причину: например, товар повреждён,
   неисправен, не соответствует описанию или прислали не тот размер.
3. Выберите **«Возврат товара и средств»** и загрузите фото или видео проблемы.
4. Отправьте спор. У продавца есть **5 дней**, чтобы принять возврат, сделать другое
   предложение или отказать. Если продавец не ответит или вы не договоритесь, спор перейдёт
   к службе поддержки.

Когда возврат согласован, вы увидите адрес для отправки, а если доставку оплачивает продавец
— ещё и **оплаченную транспортную накладную**. Упакуйте товар со всеми аксессуарами,
отправьте его в течение **10 дней** способом с отслеживанием и добавьте трек-номер в спор.

Деньги будут отправлены, когда продавец подтвердит получение, или автоматически, если он не
ответит в течение **5 дней** после того, как посылка будет доставлена по данным
отслеживания. Все этапы видны в споре на странице заказа.""",
            ),
            "el": (
                "Πώς ανοίγω διαφορά για να επιστρέψω ένα προϊόν;",
                """Μπορείτε να ανοίξετε διαφορά από την ημέρα παράδοσης του δέματος έως και
**15 ημέρες μετά την επιβεβαίωση παραλαβής**. Τα βήματα:

1. Μεταβείτε στην ενότητα **«Οι παραγγελίες μου»**, βρείτε την παραγγελία και πατήστε
   **«Άνοιγμα διαφοράς»**.
2. Επιλέξτε τα προϊόντα που θέλετε να επιστρέψετε και τον λόγο, για παράδειγμα φθορά, βλάβη,
   ασυμφωνία με την περιγραφή ή λάθος μέγεθος.
3. Επιλέξτε **«Επιστροφή προϊόντος και χρημάτων»** και ανεβάστε φωτογραφίες ή βίντεο του
   προβλήματος.
4. Υποβάλετε τη διαφορά. Ο πωλητής έχει **5 ημέρες** για να αποδεχτεί την επιστροφή, να
   κάνει άλλη πρόταση ή να την απορρίψει. Αν δεν απαντήσει ή δεν συμφωνήσετε, η διαφορά
   περνά στην ομάδα υποστήριξης.

Μόλις συμφωνηθεί η επιστροφή, θα δείτε τη διεύθυνση επιστροφής και, αν τα μεταφορικά τα
πληρώνει ο πωλητής, μια **προπληρωμένη ετικέτα αποστολής**. Συσκευάστε το προϊόν με όλα τα
αξεσουάρ, στείλτε το μέσα σε **10 ημέρες** με υπηρεσία παρακολούθησης και προσθέστε τον
αριθμό αποστολής στη διαφορά.

Η επιστροφή χρημάτων γίνεται όταν ο πωλητής επιβεβαιώσει την παραλαβή ή αυτόματα, αν δεν
απαντήσει μέσα σε **5 ημέρες** αφότου η παρακολούθηση δείξει ότι το δέμα παραδόθηκε.""",
            ),
        },
    },
    {
        "slug": "dispute-item-never-arrived",
        "weight": 80,
        "operator_resolvable": False,
        "email_contact": None,
        "text": {
            "en": (
                "My order never arrived. How do I get my money back?",
                """Every order page shows a **delivery deadline**: the latest date by which
the seller guarantees delivery. Until then, the parcel may simply be on its way, especially
with international shipping.

If the deadline has passed and nothing has arrived:

1. Check the tracking on the order page. If it says **Delivered**, ask your neighbours, the
   building reception and the local post office; parcels are often left at a pickup point.
2. Open the order in **My orders**, press **Open a dispute** and choose
   **Item not received**. Describe what you have checked. If the tracking says delivered but
   you have nothing, ask the post office for a written statement and attach it.
3. The seller has **5 days** to answer, for example with proof of delivery or an offer to
   send the item again. If the seller doesn't answer, or you don't agree, the dispute
   escalates to the support team.

Don't wait too long: if you don't confirm delivery, the order is confirmed automatically
when the delivery deadline ends, and buyer protection then lasts **15 days**. If the seller
cannot prove delivery to your address, you get a **full refund**, including shipping.""",
            ),
            "ru": (
                "Мой заказ так и не пришёл. Как вернуть деньги?",
                """На странице каждого заказа указан **срок доставки** — крайняя дата, до
которой продавец гарантирует доставку. До этой даты посылка может быть просто в пути,
особенно при международной доставке.

Если срок прошёл, а посылки нет:

1. Проверьте отслеживание на странице заказа. Если там статус **«Доставлено»**, спросите
   соседей, консьержа и местное почтовое отделение: посылки часто оставляют в пункте выдачи.
2. Откройте заказ в разделе **«Мои заказы»**, нажмите **«Открыть спор»** и выберите
   **«Товар не получен»**. Опишите, что вы уже проверили. Если по данным отслеживания
   посылка доставлена, а у вас её нет, возьмите на почте письменную справку и приложите её.
3. У продавца есть **5 дней** на ответ — например, чтобы показать подтверждение доставки или
   предложить отправить товар повторно. Если продавец не ответит или вы не договоритесь,
   спор перейдёт к службе поддержки.

Не откладывайте: если вы не подтвердите получение, заказ подтвердится автоматически по
окончании срока доставки, и после этого защита покупателя действует **15 дней**. Если
продавец не докажет доставку на ваш адрес, вы получите **полный возврат средств**, включая
доставку.""",
            ),
            "el": (
                "Η παραγγελία μου δεν έφτασε ποτέ. Πώς παίρνω πίσω τα χρήματά μου;",
                """Σε κάθε σελίδα παραγγελίας αναγράφεται μια **προθεσμία παράδοσης**,
δηλαδή η τελευταία ημερομηνία έως την οποία ο πωλητής εγγυάται την παράδοση. Μέχρι τότε το
δέμα μπορεί απλώς να είναι καθ' οδόν, ειδικά στις διεθνείς αποστολές.

Αν η προθεσμία έχει περάσει και δεν έχετε λάβει τίποτα:

1. Ελέγξτε την παρακολούθηση στη σελίδα της παραγγελίας. Αν γράφει **«Παραδόθηκε»**, ρωτήστε
   τους γείτονες, τον θυρωρό και το ταχυδρομείο της περιοχής σας· συχνά τα δέματα αφήνονται
   σε σημείο παραλαβής.
2. Ανοίξτε την παραγγελία στην ενότητα **«Οι παραγγελίες μου»**, πατήστε
   **«Άνοιγμα διαφοράς»** και επιλέξτε **«Δεν παρέλαβα το προϊόν»**. Αν η παρακολούθηση
   δείχνει παράδοση αλλά δεν έχετε τίποτα, ζητήστε γραπτή βεβαίωση από το ταχυδρομείο και
   επισυνάψτε την.
3. Ο πωλητής έχει **5 ημέρες** να απαντήσει, για παράδειγμα με απόδειξη παράδοσης ή πρόταση
   για νέα αποστολή. Αν δεν απαντήσει ή δεν συμφωνήσετε, η διαφορά περνά στην ομάδα
   υποστήριξης.

Μην καθυστερείτε: αν δεν επιβεβαιώσετε την παραλαβή, η παραγγελία επιβεβαιώνεται αυτόματα
όταν λήξει η προθεσμία παράδοσης και η προστασία αγοραστή διαρκεί από εκεί και πέρα
**15 ημέρες**. Αν ο πωλητής δεν αποδείξει την παράδοση στη διεύθυνσή σας, λαμβάνετε
**πλήρη επιστροφή χρημάτων**, μαζί με τα μεταφορικά.""",
            ),
        },
    },
    {
        "slug": "dispute-tracking-not-updating",
        "weight": 70,
        "operator_resolvable": True,
        "email_contact": None,
        "text": {
            "en": (
                "The tracking for my parcel has not updated for days. Is it lost?",
                """Not necessarily. International parcels often go quiet for **7–14 days**
while they travel between countries or wait for customs, and the tracking updates only when
the next carrier scans them. With some budget shipping methods, no events appear at all once
the parcel leaves the seller's country.

What you can do:

1. Open the order and check the **delivery deadline**. Until it has passed, the seller is
   responsible for delivering on time.
2. Enter the tracking number on the website of your national post or courier: the last steps
   often appear there first.
3. Ask the seller in the order chat to contact the carrier. Sellers can open an
   investigation with their shipping company.
4. If the deadline is close, the seller can **extend** it with your agreement. Agree only if
   you are happy to wait longer; your buyer protection moves with the new date.

If the deadline passes without delivery, open a dispute with the reason
**Item not received**. You have **15 days** to do so, and the seller has **5 days** to
answer. An agent in chat can also check the carrier's records for you.""",
            ),
            "ru": (
                "Отслеживание посылки не обновляется уже несколько дней. Она потерялась?",
                """Не обязательно. Международные посылки часто «замолкают» на **7–14 дней**,
пока их перевозят между странами или они ждут таможенного оформления: статус обновится,
только когда следующий перевозчик отсканирует посылку. При некоторых бюджетных способах
доставки после выезда из страны продавца новых событий не бывает вовсе.

Что можно сделать:

1. Откройте заказ и проверьте **срок доставки**. Пока он не истёк, продавец отвечает за то,
   чтобы посылка пришла вовремя.
2. Введите трек-номер на сайте почты или курьерской службы вашей страны — последние этапы
   часто появляются сначала там.
3. Попросите продавца в чате заказа связаться с перевозчиком: продавцы могут запросить
   розыск у своей службы доставки.
4. Если срок подходит к концу, продавец может **продлить** его с вашего согласия.
   Соглашайтесь, только если готовы ждать дольше; защита покупателя сдвигается вместе с
   новой датой.

Если срок истёк, а посылка не пришла, откройте спор с причиной **«Товар не получен»**. На
это у вас будет **15 дней**, а у продавца — **5 дней** на ответ. Специалист в чате также
может проверить данные перевозчика.""",
            ),
            "el": (
                "Η παρακολούθηση του δέματός μου δεν ενημερώνεται εδώ και μέρες. Έχει χαθεί;",
                """Όχι απαραίτητα. Τα διεθνή δέματα συχνά δεν δείχνουν καμία κίνηση για
**7–14 ημέρες**, όσο ταξιδεύουν από χώρα σε χώρα ή περιμένουν στο τελωνείο, και η
παρακολούθηση ενημερώνεται μόνο όταν τα σαρώσει ο επόμενος μεταφορέας. Με ορισμένους
οικονομικούς τρόπους αποστολής δεν εμφανίζεται τίποτα αφού το δέμα φύγει από τη χώρα του
πωλητή.

Τι μπορείτε να κάνετε:

1. Ανοίξτε την παραγγελία και ελέγξτε την **προθεσμία παράδοσης**. Μέχρι να λήξει, ο πωλητής
   είναι υπεύθυνος για την έγκαιρη παράδοση.
2. Πληκτρολογήστε τον αριθμό αποστολής στον ιστότοπο των ΕΛΤΑ ή της εταιρείας courier· τα
   τελευταία βήματα εμφανίζονται συχνά πρώτα εκεί.
3. Ζητήστε από τον πωλητή, στη συνομιλία της παραγγελίας, να επικοινωνήσει με τον μεταφορέα.
   Οι πωλητές μπορούν να ζητήσουν έρευνα από την εταιρεία αποστολής.
4. Αν η προθεσμία πλησιάζει, ο πωλητής μπορεί να την **παρατείνει** με τη συγκατάθεσή σας.
   Συμφωνήστε μόνο αν μπορείτε να περιμένετε· η προστασία σας μετατίθεται μαζί με τη νέα
   ημερομηνία.

Αν η προθεσμία λήξει χωρίς παράδοση, ανοίξτε διαφορά με λόγο **«Δεν παρέλαβα το προϊόν»**.
Έχετε **15 ημέρες** για να το κάνετε και ο πωλητής **5 ημέρες** για να απαντήσει.""",
            ),
        },
    },
    {
        "slug": "dispute-counterfeit-item",
        "weight": 60,
        "operator_resolvable": False,
        "email_contact": None,
        "text": {
            "en": (
                "I think I received a counterfeit item. What should I do?",
                """Selling counterfeit or replica goods is forbidden on the marketplace, and
a buyer who receives one gets a **full refund without returning the item**.

1. Don't use the item, and keep it with all its packaging.
2. Take photos of whatever makes you think it is fake: logos, labels, serial numbers,
   packaging, certificates, and differences from the original on the brand's official
   website. A serial number that the brand's website does not recognise is strong evidence.
3. Open a dispute from the order page with the reason **Counterfeit item** before buyer
   protection ends (**15 days after delivery confirmation**), and attach the evidence.
4. **Don't send the item back to the seller**, even if asked: counterfeit goods must not go
   back on sale. If we ask you to, dispose of the item and send us a photo as proof.

The seller has **5 days** to answer, but counterfeit disputes are always reviewed by the
support team, usually within **3 business days**. If the claim is confirmed, the listing is
removed and the seller is penalised.

Warning signs before you buy: a price far below the brand's usual one, or words such as
"replica", "inspired by" or "AAA quality" in the listing.""",
            ),
            "ru": (
                "Похоже, мне прислали подделку. Что делать?",
                """Продавать подделки и реплики на маркетплейсе запрещено, а покупатель,
получивший такой товар, получает **полный возврат средств без возврата товара**.

1. Не пользуйтесь товаром и сохраните его вместе с упаковкой.
2. Сфотографируйте всё, что указывает на подделку: логотипы, бирки, серийные номера,
   упаковку, сертификаты и отличия от оригинала на официальном сайте бренда. Серийный номер,
   который не распознаёт сайт бренда, — весомое доказательство.
3. Откройте спор со страницы заказа с причиной **«Подделка»** до окончания защиты покупателя
   (**15 дней после подтверждения получения**) и приложите доказательства.
4. **Не отправляйте товар продавцу**, даже если он просит: подделки не должны вернуться в
   продажу. Если мы попросим, утилизируйте товар и пришлите фото в подтверждение.

У продавца есть **5 дней** на ответ, но споры о подделках всегда рассматривает служба
поддержки — обычно за **3 рабочих дня**. Если жалоба подтвердится, товар снимут с продажи, а
продавца накажут.

Насторожиться стоит ещё до покупки, если цена намного ниже обычной для бренда или в описании
есть слова «реплика», «в стиле» или «качество AAA».""",
            ),
            "el": (
                "Νομίζω ότι έλαβα απομίμηση. Τι πρέπει να κάνω;",
                """Η πώληση απομιμήσεων απαγορεύεται στην πλατφόρμα, και ο αγοραστής που
λαμβάνει τέτοιο προϊόν παίρνει **πλήρη επιστροφή χρημάτων χωρίς να το επιστρέψει**.

1. Μη χρησιμοποιήσετε το προϊόν και κρατήστε το μαζί με τη συσκευασία.
2. Φωτογραφίστε ό,τι σας κάνει να πιστεύετε ότι είναι απομίμηση: λογότυπα, ετικέτες,
   σειριακούς αριθμούς, συσκευασία, πιστοποιητικά και διαφορές από το γνήσιο στον επίσημο
   ιστότοπο της μάρκας. Ένας σειριακός αριθμός που δεν τον αναγνωρίζει η μάρκα είναι ισχυρή
   απόδειξη.
3. Ανοίξτε διαφορά από τη σελίδα της παραγγελίας με λόγο **«Απομίμηση»** πριν λήξει η
   προστασία αγοραστή (**15 ημέρες μετά την επιβεβαίωση παραλαβής**) και επισυνάψτε τα
   αποδεικτικά.
4. **Μη στείλετε το προϊόν πίσω στον πωλητή**, ακόμη κι αν σας το ζητήσει: οι απομιμήσεις
   δεν πρέπει να ξαναπωληθούν. Αν σας το ζητήσουμε, καταστρέψτε το και στείλτε μας
   φωτογραφία.

Ο πωλητής έχει **5 ημέρες** για να απαντήσει, αλλά τις διαφορές για απομιμήσεις τις εξετάζει
πάντα η ομάδα υποστήριξης, συνήθως μέσα σε **3 εργάσιμες ημέρες**. Αν επιβεβαιωθεί η
απομίμηση, η αγγελία αφαιρείται και ο πωλητής τιμωρείται.

Προσοχή σε τιμές πολύ χαμηλότερες από τις συνηθισμένες της μάρκας και σε λέξεις όπως
«replica» ή «ποιότητα AAA».""",
            ),
        },
    },
    {
        "slug": "dispute-seller-counter-offer",
        "weight": 50,
        "operator_resolvable": False,
        "email_contact": None,
        "text": {
            "en": (
                "The seller made a counter-offer in my dispute. Should I accept it?",
                """In a dispute the seller can accept your request, reject it or make a
**counter-offer**: for example a partial refund instead of a full one, a replacement, or a
refund only after you return the item. You decide whether it is fair.

Before you answer:

- Compare the offer with what the support team would probably decide. For a wrong, fake or
  non-working item, the usual outcome is a **full refund**.
- Check who pays for return shipping. For items that are not as described or defective, it
  should be the seller.
- Never agree to close the dispute in exchange for a promise to pay you later or outside the
  marketplace.

Your options:

1. **Accept**: the dispute closes on those terms and cannot be reopened for the same
   problem.
2. **Reject** and explain why, adding more photos if you have them.
3. **Propose** your own amount or solution.

If the seller has not answered within **5 days**, or you still can't agree, the dispute
escalates to the support team, which reviews the whole conversation and usually decides
within **3 business days**.""",
            ),
            "ru": (
                "Продавец сделал встречное предложение в споре. Стоит ли его принимать?",
                """В споре продавец может принять ваше требование, отклонить его или сделать
**встречное предложение**: например, частичный возврат вместо полного, замену товара или
возврат средств только после возврата товара. Справедливо ли оно, решать вам.

Прежде чем ответить:

- Сравните предложение с тем, что, скорее всего, решила бы служба поддержки. Если товар не
  тот, поддельный или не работает, обычно это **полный возврат средств**.
- Уточните, кто оплачивает обратную доставку. Если товар не соответствует описанию или
  неисправен, платить должен продавец.
- Никогда не соглашайтесь закрыть спор в обмен на обещание заплатить позже или в обход
  маркетплейса.

Ваши варианты:

1. **Принять** — спор закроется на этих условиях, и снова открыть его по той же проблеме
   будет нельзя.
2. **Отклонить** и объяснить причину, добавив новые фото, если они есть.
3. **Предложить** свою сумму или своё решение.

Если продавец не ответил в течение **5 дней** или договориться так и не удалось, спор
перейдёт к службе поддержки: она изучит всю переписку и обычно принимает решение за
**3 рабочих дня**.""",
            ),
            "el": (
                "Ο πωλητής έκανε αντιπρόταση στη διαφορά μου. Να τη δεχτώ;",
                """Σε μια διαφορά ο πωλητής μπορεί να αποδεχτεί το αίτημά σας, να το
απορρίψει ή να κάνει **αντιπρόταση**: για παράδειγμα μερική αντί για πλήρη επιστροφή
χρημάτων, αντικατάσταση ή επιστροφή χρημάτων μόνο αφού του στείλετε πίσω το προϊόν. Εσείς
κρίνετε αν είναι δίκαιη.

Πριν απαντήσετε:

- Συγκρίνετε την πρόταση με αυτό που πιθανότατα θα αποφάσιζε η ομάδα υποστήριξης. Για λάθος,
  πλαστό ή χαλασμένο προϊόν, το σύνηθες αποτέλεσμα είναι **πλήρης επιστροφή χρημάτων**.
- Ελέγξτε ποιος πληρώνει τα μεταφορικά επιστροφής. Αν το προϊόν δεν αντιστοιχεί στην
  περιγραφή ή είναι ελαττωματικό, πρέπει να τα πληρώσει ο πωλητής.
- Μη δεχτείτε ποτέ να κλείσετε τη διαφορά με αντάλλαγμα μια υπόσχεση για πληρωμή αργότερα ή
  εκτός πλατφόρμας.

Οι επιλογές σας:

1. **Αποδοχή**: η διαφορά κλείνει με αυτούς τους όρους και δεν ανοίγει ξανά για το ίδιο
   πρόβλημα.
2. **Απόρριψη** με εξήγηση και, αν έχετε, επιπλέον φωτογραφίες.
3. **Πρόταση** δικού σας ποσού ή λύσης.

Αν ο πωλητής δεν απαντήσει μέσα σε **5 ημέρες** ή δεν καταλήξετε σε συμφωνία, η διαφορά
περνά στην ομάδα υποστήριξης, η οποία εξετάζει όλη τη συνομιλία και συνήθως αποφασίζει μέσα
σε **3 εργάσιμες ημέρες**.""",
            ),
        },
    },
    {
        "slug": "dispute-deadline-missed",
        "weight": 40,
        "operator_resolvable": False,
        "email_contact": True,
        "text": {
            "en": (
                "I missed the deadline to open a dispute. Can I still get help?",
                """Buyer protection ends **15 days after delivery confirmation**, and then
the **Open a dispute** button disappears. In most cases a dispute can no longer be opened,
but you still have options.

- **Talk to the seller.** Many sellers still help after protection ends, especially with a
  replacement or a spare part. Write in the order chat and attach photos.
- **Use the warranty.** If the listing includes a warranty (often 12 months), a fault that
  appears later is a warranty case, not a dispute. See [Warranty](/help/warranty/).
- **Ask us to review an exception.** We may still look into it if you could not open a
  dispute in time for reasons outside your control: for example, the order was confirmed
  automatically while the parcel was still in transit, or the seller asked you in writing to
  wait. Create a request in [My requests](/help/requests/) within **30 days** after
  protection ended, with the order number and screenshots.

Exceptions are decided case by case and are not guaranteed. Next time, don't confirm
delivery before checking the item, and open a dispute as soon as you notice a problem.""",
            ),
            "ru": (
                "Я пропустил срок открытия спора. Мне ещё могут помочь?",
                """Защита покупателя заканчивается через
**15 дней после подтверждения получения**, и после этого кнопка **«Открыть спор»** исчезает.
Как правило, открыть спор уже нельзя, но варианты остаются.

- **Договориться с продавцом.** Многие продавцы помогают и после окончания защиты — особенно
  заменой товара или запчастью. Напишите в чат заказа и приложите фото.
- **Воспользоваться гарантией.** Если в описании товара указана гарантия (чаще всего 12
  месяцев), поломка, возникшая позже, — это гарантийный случай, а не спор. Подробнее — в
  разделе [«Гарантия»](/help/warranty/).
- **Попросить нас рассмотреть исключение.** Мы можем разобраться, если вы не успели открыть
  спор по не зависящим от вас причинам: например, заказ подтвердился автоматически, пока
  посылка ещё была в пути, или продавец письменно попросил вас подождать. Создайте обращение
  в разделе [«Мои обращения»](/help/requests/) не позднее **30 дней** после окончания
  защиты, указав номер заказа и приложив скриншоты.

Исключения рассматриваются индивидуально и не гарантированы. Чтобы это не повторилось, не
подтверждайте получение, не проверив товар, и открывайте спор сразу, как заметите проблему.""",
            ),
            "el": (
                "Έχασα την προθεσμία για να ανοίξω διαφορά. Μπορώ να πάρω ακόμη βοήθεια;",
                """Η προστασία αγοραστή λήγει **15 ημέρες μετά την επιβεβαίωση παραλαβής**
και τότε το κουμπί **«Άνοιγμα διαφοράς»** εξαφανίζεται. Συνήθως δεν μπορεί πλέον να ανοίξει
διαφορά, αλλά έχετε ακόμη επιλογές.

- **Μιλήστε με τον πωλητή.** Πολλοί πωλητές βοηθούν και μετά τη λήξη της προστασίας, ιδίως
  με αντικατάσταση ή ανταλλακτικό. Γράψτε στη συνομιλία της παραγγελίας και επισυνάψτε
  φωτογραφίες.
- **Χρησιμοποιήστε την εγγύηση.** Αν η αγγελία αναφέρει εγγύηση (συνήθως 12 μήνες), μια
  βλάβη που εμφανίζεται αργότερα καλύπτεται από την εγγύηση και όχι με διαφορά. Δείτε την
  ενότητα [«Εγγύηση»](/help/warranty/).
- **Ζητήστε να εξετάσουμε εξαίρεση.** Ίσως εξετάσουμε την περίπτωσή σας αν δεν προλάβατε για
  λόγους εκτός του ελέγχου σας, π.χ. αν η παραγγελία επιβεβαιώθηκε αυτόματα ενώ το δέμα ήταν
  ακόμη καθ' οδόν ή αν ο πωλητής σάς ζήτησε γραπτώς να περιμένετε. Δημιουργήστε αίτημα στην
  ενότητα [«Τα αιτήματά μου»](/help/requests/) έως **30 ημέρες** μετά τη λήξη της
  προστασίας, με τον αριθμό παραγγελίας και στιγμιότυπα οθόνης.

Οι εξαιρέσεις κρίνονται κατά περίπτωση και δεν είναι εγγυημένες. Την επόμενη φορά, μην
επιβεβαιώνετε την παραλαβή πριν ελέγξετε το προϊόν και ανοίξτε διαφορά μόλις δείτε πρόβλημα.""",
            ),
        },
    },
    {
        "slug": "dispute-escalated-to-support",
        "weight": 30,
        "operator_resolvable": False,
        "email_contact": None,
        "text": {
            "en": (
                "What happens when my dispute is escalated to the support team?",
                """A dispute is escalated when the seller does not answer within **5 days**,
or when you and the seller cannot agree. From then on, a member of the support team decides
the case, and neither side can close it alone.

What happens next:

1. The agent reads the whole dispute: your request, the seller's answers, the photos and the
   tracking history.
2. Either side may be asked for more evidence, such as a video of the item working or not
   working, or a statement from the post office. You have **3 days** to reply; otherwise the
   decision is made on what is already there.
3. The decision is usually made within **3 business days** and is shown in the dispute with
   a short explanation.

Possible outcomes are a full refund, a refund after return, a partial refund, or closing the
dispute without a refund. A refund is sent at once and then follows the usual timing for
your payment method.

The decision is final for that order. If important new evidence appears that was not
available before, you can ask for one review by creating a request in
[My requests](/help/requests/) within **7 days**.""",
            ),
        },
    },
    {
        "slug": "dispute-cancel-or-change",
        "weight": 20,
        "operator_resolvable": False,
        "email_contact": None,
        "text": {
            "en": (
                "Can I cancel or change a dispute after opening it?",
                """Yes, while the dispute is still between you and the seller.

- **To change it**, open the dispute and press **Edit request**. You can switch between a
  full and a partial refund, change the amount, or add photos and videos. The seller is
  notified of each change, but the **5-day** answer period does not restart.
- **To cancel it**, press **Cancel dispute**, for example if the parcel arrived after all or
  the seller has fixed the problem. Your buyer protection continues: you can open a new
  dispute for the same order as long as the **15 days after delivery confirmation** have not
  passed. A dispute can be cancelled and reopened only **once**.

After escalation to the support team you can no longer edit the dispute, but you can still
add evidence in the dispute chat, or cancel it if you no longer need a decision.

If the seller promises something outside the dispute, such as a replacement, keep the
dispute open until you actually receive it. Closing it first makes it much harder to get
help later.""",
            ),
        },
    },
]
