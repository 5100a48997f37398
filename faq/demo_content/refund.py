"""Demo help-centre content: refund (hand-written; English, Russian, Greek)."""

TOPIC = {
    "slug": "refund",
    "icon": "💸",
    "sort_order": 2,
    "email_contact": True,
    "name": {"en": "Refunds", "ru": "Возврат средств", "el": "Επιστροφή χρημάτων"},
    "description": {
        "en": "When and how your money comes back after a cancellation, a return or a dispute.",
        "ru": "Когда и как возвращаются деньги после отмены заказа, возврата товара или спора.",
        "el": "Πότε και πώς επιστρέφονται τα χρήματά σας μετά από ακύρωση, επιστροφή ή διαφορά.",
    },
}

ENTRIES = [
    {
        "slug": "refund-not-received-after-cancellation",
        "weight": 100,
        "operator_resolvable": True,
        "email_contact": None,
        "text": {
            "en": (
                "I have not received my refund after the seller cancelled my order. Where is it?",
                """When a seller cancels an order, the refund starts **automatically**,
usually within a few hours. You don't need to open a dispute or write to the seller.

How long it then takes depends on how you paid:

- **Marketplace balance**: instantly.
- **E-wallet** (PayPal, Apple Pay, Google Pay): **1–3 days**.
- **Bank card**: **3–10 business days**, depending on your bank.

To check the progress, open the order in **My orders** and look at **Refund details**. The
status **Refund sent** means the money has left us; the same block shows a
**reference number (ARN)**.

If the time for your payment method has passed:

1. Check your card or e-wallet statement for a credit; banks sometimes show it under the
   name of our payment processor.
2. Call your bank and give them the ARN, which lets them find the refund in their system.
3. If the status is not **Refund sent**, or the bank cannot find the money with the ARN,
   write to us in chat or create a request in [My requests](/help/requests/). An agent will
   trace the refund.""",
            ),
            "ru": (
                "Я не получил возврат средств после того, как продавец отменил заказ. Где деньги?",
                """Когда продавец отменяет заказ, возврат средств запускается
**автоматически**, обычно в течение нескольких часов. Открывать спор или писать продавцу не
нужно.

Дальше срок зависит от того, как вы платили:

- **баланс на маркетплейсе** — мгновенно;
- **электронный кошелёк** (PayPal, Apple Pay, Google Pay) — **1–3 дня**;
- **банковская карта** — **3–10 рабочих дней**, в зависимости от банка.

Чтобы узнать, на каком этапе возврат, откройте заказ в разделе **«Мои заказы»** и посмотрите
блок **«Детали возврата»**. Статус **«Возврат отправлен»** означает, что деньги от нас уже
ушли; там же указан **номер операции (ARN)**.

Если срок для вашего способа оплаты прошёл:

1. Проверьте выписку по карте или кошельку: банк иногда показывает зачисление под названием
   нашего платёжного партнёра.
2. Позвоните в банк и назовите ARN — по нему банк найдёт возврат в своей системе.
3. Если статус не **«Возврат отправлен»** или банк не находит деньги по ARN, напишите нам в
   чат или создайте обращение в разделе [«Мои обращения»](/help/requests/). Специалист
   отследит возврат.""",
            ),
            "el": (
                (
                    "Δεν έλαβα την επιστροφή χρημάτων αφού ο πωλητής ακύρωσε την παραγγελία. Πού"
                    " είναι;"
                ),
                """Όταν ο πωλητής ακυρώνει μια παραγγελία, η επιστροφή χρημάτων ξεκινά
**αυτόματα**, συνήθως μέσα σε λίγες ώρες. Δεν χρειάζεται να ανοίξετε διαφορά ούτε να γράψετε
στον πωλητή.

Ο χρόνος μέχρι να τη λάβετε εξαρτάται από τον τρόπο πληρωμής:

- **Υπόλοιπο στην πλατφόρμα**: αμέσως.
- **Ηλεκτρονικό πορτοφόλι** (PayPal, Apple Pay, Google Pay): **1–3 ημέρες**.
- **Τραπεζική κάρτα**: **3–10 εργάσιμες ημέρες**, ανάλογα με την τράπεζα.

Για να δείτε την πορεία της, ανοίξτε την παραγγελία στην ενότητα **«Οι παραγγελίες μου»**
και δείτε τα **«Στοιχεία επιστροφής»**. Η κατάσταση **«Η επιστροφή εστάλη»** σημαίνει ότι τα
χρήματα έχουν φύγει από εμάς· εκεί εμφανίζεται και ο **αριθμός αναφοράς (ARN)**.

Αν ο χρόνος για τον τρόπο πληρωμής σας έχει περάσει:

1. Ελέγξτε την κίνηση της κάρτας ή του πορτοφολιού σας· η τράπεζα μερικές φορές εμφανίζει
   την πίστωση με το όνομα του παρόχου πληρωμών μας.
2. Τηλεφωνήστε στην τράπεζα και δώστε τον αριθμό ARN, ώστε να εντοπίσει την επιστροφή στο
   σύστημά της.
3. Αν η κατάσταση δεν είναι **«Η επιστροφή εστάλη»** ή η τράπεζα δεν βρίσκει τα χρήματα με
   τον ARN, δημιουργήστε αίτημα στην ενότητα [«Τα αιτήματά μου»](/help/requests/) και θα
   εντοπίσουμε την επιστροφή.""",
            ),
        },
    },
    {
        "slug": "refund-timing-by-payment-method",
        "weight": 90,
        "operator_resolvable": False,
        "email_contact": None,
        "text": {
            "en": (
                "How long does a refund take for each payment method?",
                """We send a refund as soon as it is approved: when an order is cancelled,
when the seller accepts your return, or when a dispute is decided in your favour. From that
moment, the time until you see the money depends on the payment method:

- **Marketplace balance**: instantly.
- **E-wallets** (PayPal, Apple Pay, Google Pay): **1–3 days**.
- **Bank cards**, debit or credit: **3–10 business days**. Weekends and bank holidays are
  not counted.
- **Split payment** (part balance, part card): each part follows its own timeline.

The money goes back to the method you paid with. When you accept a refund, or in a dispute,
you can choose the **marketplace balance** instead: the money arrives instantly, but it can
then only be spent on the marketplace.

On a credit card the refund reduces what you owe rather than appearing as a separate
payment, and it may show only on your next statement.

You can follow every refund in **My orders → Refund details**. If the time has passed, give
your bank the ARN reference shown there, or create a request in
[My requests](/help/requests/).""",
            ),
            "ru": (
                "Сколько времени занимает возврат средств для разных способов оплаты?",
                """Мы отправляем деньги, как только возврат одобрен: при отмене заказа,
когда продавец принимает возврат товара или когда спор решён в вашу пользу. С этого момента
срок зависит от способа оплаты:

- **баланс на маркетплейсе** — мгновенно;
- **электронные кошельки** (PayPal, Apple Pay, Google Pay) — **1–3 дня**;
- **банковские карты**, дебетовые и кредитные, — **3–10 рабочих дней**, без учёта выходных и
  праздников;
- **смешанная оплата** (часть с баланса, часть картой) — каждая часть возвращается в свой
  срок.

Деньги возвращаются тем способом, которым вы платили. Принимая возврат или в ходе спора,
можно выбрать вместо этого **баланс на маркетплейсе**: деньги придут мгновенно, но потратить
их можно будет только на маркетплейсе.

По кредитной карте возврат уменьшает задолженность, а не приходит отдельным платежом, и
может отразиться только в следующей выписке.

Все возвраты видны в разделе **«Мои заказы → Детали возврата»**. Если срок прошёл, назовите
банку указанный там номер ARN или создайте обращение в разделе
[«Мои обращения»](/help/requests/).""",
            ),
            "el": (
                "Πόσο διαρκεί η επιστροφή χρημάτων για κάθε τρόπο πληρωμής;",
                """Στέλνουμε την επιστροφή χρημάτων μόλις εγκριθεί: όταν ακυρώνεται η
παραγγελία, όταν ο πωλητής αποδέχεται την επιστροφή του προϊόντος ή όταν μια διαφορά
κρίνεται υπέρ σας. Από εκείνη τη στιγμή, ο χρόνος εξαρτάται από τον τρόπο πληρωμής:

- **Υπόλοιπο στην πλατφόρμα**: αμέσως.
- **Ηλεκτρονικά πορτοφόλια** (PayPal, Apple Pay, Google Pay): **1–3 ημέρες**.
- **Τραπεζικές κάρτες**, χρεωστικές ή πιστωτικές: **3–10 εργάσιμες ημέρες**, χωρίς
  Σαββατοκύριακα και αργίες.
- **Μικτή πληρωμή** (εν μέρει υπόλοιπο, εν μέρει κάρτα): κάθε ποσό ακολουθεί τον δικό του
  χρόνο.

Τα χρήματα επιστρέφονται στον τρόπο πληρωμής που χρησιμοποιήσατε. Όταν αποδέχεστε μια
επιστροφή ή κατά τη διάρκεια μιας διαφοράς, μπορείτε να επιλέξετε αντί γι' αυτό το
**υπόλοιπο στην πλατφόρμα**: τα χρήματα φτάνουν αμέσως, αλλά χρησιμοποιούνται μόνο για
αγορές στην πλατφόρμα.

Στις πιστωτικές κάρτες η επιστροφή μειώνει την οφειλή σας αντί να εμφανίζεται ως ξεχωριστή
πίστωση και μπορεί να φανεί μόνο στο επόμενο αντίγραφο κίνησης.

Κάθε επιστροφή φαίνεται στην ενότητα **«Οι παραγγελίες μου → Στοιχεία επιστροφής»**. Αν ο
χρόνος έχει περάσει, δώστε στην τράπεζα τον αριθμό ARN που αναγράφεται εκεί ή δημιουργήστε
αίτημα στην ενότητα [«Τα αιτήματά μου»](/help/requests/).""",
            ),
        },
    },
    {
        "slug": "refund-partial-refund-offer",
        "weight": 80,
        "operator_resolvable": False,
        "email_contact": None,
        "text": {
            "en": (
                "The seller offered me a partial refund. How does it work?",
                """A partial refund lets you **keep the item** and get back part of the
price, for example when it has a small defect, a missing accessory or the wrong colour but
you still want it. The seller usually offers it in a dispute, and you can also propose an
amount yourself.

How it works:

1. The seller's offer appears in the dispute with the exact amount. If it matters to you,
   check whether it includes part of the shipping cost.
2. Press **Accept** if the amount suits you. The dispute closes and the refund is sent at
   once.
3. If it doesn't, press **Reject** and explain why, or propose your own amount and add
   photos of the problem.

Once you accept, you cannot reopen the dispute for the same problem, so check the item
carefully first. If you and the seller don't agree within **5 days**, the dispute escalates
to the support team, which decides on the basis of the evidence.

The money arrives like any other refund: instantly to your marketplace balance, in
**1–3 days** to an e-wallet or in **3–10 business days** to a card.""",
            ),
            "ru": (
                "Продавец предложил частичный возврат средств. Как это работает?",
                """При частичном возврате средств вы **оставляете товар себе** и получаете
обратно часть его стоимости — например, если у товара небольшой дефект, не хватает
аксессуара или цвет не тот, но вещь вам всё равно нужна. Обычно его предлагает продавец в
ходе спора, но свою сумму можете предложить и вы.

Как это работает:

1. Предложение продавца появляется в споре с точной суммой. Если для вас это важно,
   проверьте, учтена ли в ней часть стоимости доставки.
2. Нажмите **«Принять»**, если сумма вас устраивает. Спор закроется, и деньги будут
   отправлены сразу.
3. Если нет, нажмите **«Отклонить»** и объясните причину или предложите свою сумму, приложив
   фото проблемы.

Приняв предложение, вы не сможете снова открыть спор по той же проблеме, поэтому сначала
внимательно осмотрите товар. Если вы с продавцом не договоритесь в течение **5 дней**, спор
перейдёт к службе поддержки, и она примет решение по представленным доказательствам.

Деньги поступят как при любом возврате: на баланс маркетплейса — мгновенно, на электронный
кошелёк — за **1–3 дня**, на карту — за **3–10 рабочих дней**.""",
            ),
            "el": (
                "Ο πωλητής μού πρότεινε μερική επιστροφή χρημάτων. Πώς λειτουργεί;",
                """Με τη μερική επιστροφή χρημάτων **κρατάτε το προϊόν** και παίρνετε πίσω
μέρος της τιμής, για παράδειγμα όταν έχει ένα μικρό ελάττωμα, λείπει κάποιο αξεσουάρ ή το
χρώμα δεν είναι το σωστό, αλλά θέλετε να το κρατήσετε. Συνήθως την προτείνει ο πωλητής σε
μια διαφορά, αλλά μπορείτε να προτείνετε κι εσείς ένα ποσό.

Πώς λειτουργεί:

1. Η πρόταση του πωλητή εμφανίζεται στη διαφορά με το ακριβές ποσό. Αν σας ενδιαφέρει,
   ελέγξτε αν περιλαμβάνει και μέρος των μεταφορικών.
2. Πατήστε **«Αποδοχή»** αν το ποσό σάς καλύπτει. Η διαφορά κλείνει και η επιστροφή
   αποστέλλεται αμέσως.
3. Αν όχι, πατήστε **«Απόρριψη»** και εξηγήστε τον λόγο ή προτείνετε δικό σας ποσό με
   φωτογραφίες του προβλήματος.

Αφού αποδεχτείτε, δεν μπορείτε να ανοίξετε ξανά διαφορά για το ίδιο πρόβλημα, οπότε ελέγξτε
πρώτα προσεκτικά το προϊόν. Αν δεν συμφωνήσετε με τον πωλητή μέσα σε **5 ημέρες**, η διαφορά
περνά στην ομάδα υποστήριξης, η οποία αποφασίζει με βάση τα στοιχεία.

Τα χρήματα φτάνουν όπως σε κάθε επιστροφή: αμέσως στο υπόλοιπο στην πλατφόρμα, σε
**1–3 ημέρες** σε ηλεκτρονικό πορτοφόλι και σε **3–10 εργάσιμες ημέρες** σε κάρτα.""",
            ),
        },
    },
    {
        "slug": "refund-to-expired-card",
        "weight": 70,
        "operator_resolvable": True,
        "email_contact": None,
        "text": {
            "en": (
                "My refund went to a card that has expired or been closed. Will I still get it?",
                """Yes, in almost all cases. A refund is sent to the **card account**, not
to the plastic card. If your bank reissued the card with a new expiry date, or with a new
number after a loss, the money arrives in the same account within the usual
**3–10 business days**.

It is more complicated if the account itself was closed. Then:

1. Wait until the usual refund time has passed.
2. Call your bank, give them the **ARN** from **My orders → Refund details** and ask where
   the credit went. Most banks keep such money for the former account holder and pay it out
   on request.
3. If the bank rejects the refund, the money comes back to us. We then credit it to your
   **marketplace balance**, usually within **5 business days** of the rejection, and let you
   know by email.

We cannot send a card refund to a different card or bank account: this rule protects you
against fraud. If you already know the card account is closed, tell an agent before the
refund is sent, and we will refund to your marketplace balance instead, instantly.""",
            ),
            "ru": (
                "Возврат ушёл на карту, которая истекла или закрыта. Я получу деньги?",
                """Да, почти всегда. Возврат средств отправляется на **счёт карты**, а не на
сам пластик. Если банк перевыпустил карту с новым сроком действия или с новым номером после
утери, деньги придут на тот же счёт в обычный срок — за **3–10 рабочих дней**.

Сложнее, если закрыт сам счёт. Тогда:

1. Дождитесь окончания обычного срока возврата.
2. Позвоните в банк, назовите **ARN** из раздела **«Мои заказы → Детали возврата»** и
   спросите, куда поступили деньги. Большинство банков хранят такие суммы для бывшего
   владельца счёта и выплачивают их по заявлению.
3. Если банк отклонит зачисление, деньги вернутся к нам. Мы зачислим их на ваш
   **баланс на маркетплейсе**, обычно в течение **5 рабочих дней** после отказа банка, и
   сообщим об этом по электронной почте.

Отправить возврат на другую карту или другой счёт мы не можем: это правило защищает вас от
мошенников. Если вы заранее знаете, что счёт карты закрыт, сообщите об этом специалисту до
отправки возврата — мы вернём деньги на баланс маркетплейса, и они поступят мгновенно.""",
            ),
            "el": (
                "Η επιστροφή στάλθηκε σε κάρτα που έληξε ή έκλεισε. Θα πάρω τα χρήματα;",
                """Ναι, σχεδόν πάντα. Η επιστροφή χρημάτων αποστέλλεται στον
**λογαριασμό της κάρτας** και όχι στο ίδιο το πλαστικό. Αν η τράπεζα σάς εξέδωσε νέα κάρτα
με νέα ημερομηνία λήξης ή με νέο αριθμό μετά από απώλεια, τα χρήματα φτάνουν στον ίδιο
λογαριασμό στον συνηθισμένο χρόνο, δηλαδή σε **3–10 εργάσιμες ημέρες**.

Το θέμα περιπλέκεται αν έχει κλείσει ο ίδιος ο λογαριασμός. Τότε:

1. Περιμένετε να περάσει ο συνηθισμένος χρόνος επιστροφής.
2. Τηλεφωνήστε στην τράπεζα, δώστε τον **ARN** από την ενότητα
   **«Οι παραγγελίες μου → Στοιχεία επιστροφής»** και ρωτήστε πού πιστώθηκαν τα χρήματα. Οι
   περισσότερες τράπεζες κρατούν τέτοια ποσά για τον πρώην κάτοχο και τα αποδίδουν κατόπιν
   αίτησης.
3. Αν η τράπεζα απορρίψει την πίστωση, τα χρήματα επιστρέφουν σε εμάς. Τότε τα πιστώνουμε
   στο **υπόλοιπό σας στην πλατφόρμα**, συνήθως μέσα σε **5 εργάσιμες ημέρες** από την
   απόρριψη, και σας ενημερώνουμε με email.

Δεν μπορούμε να στείλουμε επιστροφή σε άλλη κάρτα ή άλλο τραπεζικό λογαριασμό· ο κανόνας
αυτός σας προστατεύει από απάτες. Αν ήδη γνωρίζετε ότι ο λογαριασμός της κάρτας έχει
κλείσει, στείλτε μας αίτημα πριν γίνει η επιστροφή και θα την πιστώσουμε αμέσως στο υπόλοιπό
σας στην πλατφόρμα.""",
            ),
        },
    },
    {
        "slug": "refund-seller-asked-to-cancel",
        "weight": 60,
        "operator_resolvable": True,
        "email_contact": None,
        "text": {
            "en": (
                (
                    "The seller asked me to cancel my order. Should I agree, and will I get my "
                    "money back?"
                ),
                """Sellers sometimes ask buyers to cancel when an item is out of stock, the
price was wrong or they cannot ship on time. You don't have to agree, but if you do, you get
a **full refund**, including shipping.

Keep in mind:

- **Cancel only on the order page** (**My orders → Cancel order**) and choose the reason
  **Seller asked me to cancel**. The cancellation then does not count against you, and the
  refund starts automatically.
- **Never agree to pay again outside the marketplace**, at a "new price", by bank transfer
  or through a messenger. Such payments are not covered by buyer protection.
- If the seller wants more money for the same order, you can refuse. The seller must ship at
  the price you paid or cancel the order themselves.

If you want the item, simply reply that you don't agree to cancel. If the seller doesn't
ship by the dispatch deadline on the order page, the order is cancelled automatically and
refunded.

You can report a seller who pressures you, threatens a bad review or asks for payment
elsewhere from the order chat. An agent can also cancel the order for you in chat.""",
            ),
            "ru": (
                "Продавец просит отменить заказ. Соглашаться ли и вернут ли мне деньги?",
                """Продавцы иногда просят отменить заказ, если товар закончился, цена была
указана с ошибкой или они не успевают отправить посылку вовремя. Соглашаться вы не обязаны,
но если согласитесь, получите **полный возврат средств**, включая доставку.

Что важно помнить:

- **Отменяйте заказ только на его странице** (**«Мои заказы → Отменить заказ»**) и выберите
  причину **«Продавец попросил отменить»**. Тогда отмена не будет засчитана против вас, а
  возврат начнётся автоматически.
- **Никогда не соглашайтесь платить повторно вне маркетплейса** — по «новой цене», переводом
  или через мессенджер. Такие платежи не защищены программой защиты покупателей.
- Если продавец хочет больше денег за тот же заказ, вы вправе отказаться. Он обязан
  отправить товар по оплаченной цене или сам отменить заказ.

Если товар вам нужен, просто ответьте, что не согласны на отмену. Если продавец не отправит
посылку до срока, указанного на странице заказа, заказ отменится автоматически, а деньги
вернутся.

На продавца, который давит на вас, грозит плохим отзывом или просит заплатить в обход
маркетплейса, можно пожаловаться из чата заказа. Специалист поддержки также может отменить
заказ за вас прямо в чате.""",
            ),
            "el": (
                (
                    "Ο πωλητής μού ζήτησε να ακυρώσω την παραγγελία. Να δεχτώ; Θα πάρω πίσω τα "
                    "χρήματα;"
                ),
                """Οι πωλητές ζητούν μερικές φορές ακύρωση όταν το προϊόν έχει εξαντληθεί, η
τιμή ήταν λάθος ή δεν μπορούν να το στείλουν εγκαίρως. Δεν είστε υποχρεωμένοι να
συμφωνήσετε, αλλά αν συμφωνήσετε, λαμβάνετε **πλήρη επιστροφή χρημάτων**, μαζί με τα
μεταφορικά.

Τι να έχετε υπόψη:

- **Ακυρώνετε μόνο από τη σελίδα της παραγγελίας**
  (**«Οι παραγγελίες μου → Ακύρωση παραγγελίας»**) με αιτία **«Μου το ζήτησε ο πωλητής»**.
  Έτσι η ακύρωση δεν σας επιβαρύνει και η επιστροφή ξεκινά αυτόματα.
- **Μη δεχτείτε ποτέ να πληρώσετε ξανά εκτός πλατφόρμας**, με «νέα τιμή», με έμβασμα ή μέσω
  εφαρμογής μηνυμάτων. Τέτοιες πληρωμές δεν καλύπτονται από την προστασία αγοραστή.
- Αν ο πωλητής ζητά περισσότερα χρήματα για την ίδια παραγγελία, μπορείτε να αρνηθείτε.
  Οφείλει να στείλει το προϊόν στην τιμή που πληρώσατε ή να ακυρώσει ο ίδιος την παραγγελία.

Αν θέλετε το προϊόν, απλώς απαντήστε ότι δεν συμφωνείτε με την ακύρωση. Αν ο πωλητής δεν το
αποστείλει μέχρι την προθεσμία της σελίδας της παραγγελίας, η παραγγελία ακυρώνεται αυτόματα
και τα χρήματα επιστρέφονται.

Μπορείτε να αναφέρετε από τη συνομιλία της παραγγελίας έναν πωλητή που σας πιέζει, σας
απειλεί με κακή αξιολόγηση ή ζητά πληρωμή αλλού.""",
            ),
        },
    },
    {
        "slug": "refund-order-disappeared-listing-deleted",
        "weight": 50,
        "operator_resolvable": True,
        "email_contact": None,
        "text": {
            "en": (
                (
                    "My order disappeared after the seller deleted the listing. What happened to"
                    " my money?"
                ),
                """Deleting a listing never deletes your order: orders belong to your
account, not to the product page. If you can't find it, it has most likely moved to another
tab or been cancelled.

1. Open **My orders** and set the filter to **All orders**, including **Cancelled** and
   **Closed**. You can also search for the order number from your confirmation email.
2. If the order is still active, it ships as normal. The product page may say
   **Item no longer available**, but the seller must still deliver what you paid for.
3. If the order was **cancelled** because the seller removed the item or closed the store,
   the refund started automatically: instantly to your balance, in **1–3 days** to an
   e-wallet or in **3–10 business days** to a card.

If the store was **closed by the marketplace**, all unshipped orders are cancelled with a
full refund, and shipped orders stay under **buyer protection** until 15 days after delivery
confirmation.

If you still can't find the order, or no refund is shown, write to us in chat with the order
number, or the date and amount of the payment. An agent will locate it.""",
            ),
            "ru": (
                "Заказ исчез после того, как продавец удалил товар. Что с моими деньгами?",
                """Удаление товара никогда не удаляет ваш заказ: заказы хранятся в вашем
аккаунте, а не на странице товара. Если вы его не видите, скорее всего, он переместился на
другую вкладку или был отменён.

1. Откройте **«Мои заказы»** и выберите фильтр **«Все заказы»**, включая **«Отменённые»** и
   **«Завершённые»**. Заказ можно найти и по номеру из письма с подтверждением.
2. Если заказ активен, он будет отправлен как обычно. На странице товара может быть написано
   **«Товар больше недоступен»**, но продавец всё равно обязан доставить то, за что вы
   заплатили.
3. Если заказ **отменён**, потому что продавец удалил товар или закрыл магазин, возврат
   средств начался автоматически: на баланс — мгновенно, на электронный кошелёк — за
   **1–3 дня**, на карту — за **3–10 рабочих дней**.

Если магазин **закрыл маркетплейс**, все неотправленные заказы отменяются с полным возвратом
средств, а отправленные остаются под **защитой покупателя** до истечения 15 дней после
подтверждения получения.

Если заказ так и не нашёлся или возврат не отображается, напишите нам в чат и укажите номер
заказа или дату и сумму платежа. Специалист его найдёт.""",
            ),
            "el": (
                (
                    "Η παραγγελία μου χάθηκε αφού ο πωλητής διέγραψε την αγγελία. Τι έγιναν τα "
                    "χρήματα;"
                ),
                """Η διαγραφή μιας αγγελίας δεν διαγράφει ποτέ την παραγγελία σας: οι
παραγγελίες ανήκουν στον λογαριασμό σας, όχι στη σελίδα του προϊόντος. Αν δεν τη βρίσκετε,
πιθανότατα έχει μετακινηθεί σε άλλη καρτέλα ή έχει ακυρωθεί.

1. Ανοίξτε την ενότητα **«Οι παραγγελίες μου»** και επιλέξτε το φίλτρο
   **«Όλες οι παραγγελίες»**, μαζί με τις **«Ακυρωμένες»** και τις **«Ολοκληρωμένες»**.
   Μπορείτε επίσης να αναζητήσετε τον αριθμό από το email επιβεβαίωσης.
2. Αν η παραγγελία είναι ενεργή, θα αποσταλεί κανονικά. Η σελίδα του προϊόντος μπορεί να
   γράφει **«Μη διαθέσιμο»**, όμως ο πωλητής οφείλει να στείλει ό,τι πληρώσατε.
3. Αν η παραγγελία **ακυρώθηκε** επειδή ο πωλητής αφαίρεσε το προϊόν ή έκλεισε το κατάστημα,
   η επιστροφή χρημάτων ξεκίνησε αυτόματα: αμέσως στο υπόλοιπο, σε **1–3 ημέρες** σε
   ηλεκτρονικό πορτοφόλι ή σε **3–10 εργάσιμες ημέρες** σε κάρτα.

Αν το κατάστημα **έκλεισε από την πλατφόρμα**, οι παραγγελίες που δεν έχουν αποσταλεί
ακυρώνονται με πλήρη επιστροφή, ενώ όσες έχουν αποσταλεί μένουν στην **προστασία αγοραστή**
έως 15 ημέρες μετά την επιβεβαίωση παραλαβής.

Αν και πάλι δεν τη βρίσκετε, στείλτε μας αίτημα με τον αριθμό παραγγελίας ή την ημερομηνία
και το ποσό της πληρωμής.""",
            ),
        },
    },
    {
        "slug": "refund-smaller-than-paid",
        "weight": 40,
        "operator_resolvable": True,
        "email_contact": None,
        "text": {
            "en": (
                "Why is my refund smaller than the amount I paid?",
                """A refund can be smaller than the original payment for a few legitimate
reasons. Open **My orders → Refund details** to see how the amount was calculated.

- **Partial refund.** You accepted a partial refund in a dispute and kept the item.
- **Only some items refunded.** In an order with several items, only the cancelled or
  returned ones are refunded. Shipping is refunded only if the whole order is cancelled or
  the seller was at fault.
- **Coupons.** A seller coupon lowers what you paid, so the refund is based on the
  discounted price. Marketplace coupons go back to your account if they are still valid.
- **Exchange rate.** We refund the same amount in the currency you paid. Your bank may
  convert it at a different rate, so the amount in your card's currency can differ slightly.
- **Split payment.** If you paid partly with marketplace balance, that part went back to
  your balance, not to the card.

If none of these explains the difference, write to us in chat with the order number. An
agent will check the calculation and send any missing amount.""",
            ),
            "ru": (
                "Почему сумма возврата меньше, чем я заплатил?",
                """Сумма возврата может быть меньше платежа по нескольким вполне законным
причинам. Как она рассчитана, видно в разделе **«Мои заказы → Детали возврата»**.

- **Частичный возврат.** Вы приняли частичный возврат в споре и оставили товар себе.
- **Возвращены не все товары.** Если в заказе несколько товаров, деньги возвращаются только
  за отменённые или возвращённые. Доставку возвращают, только если отменён весь заказ или
  виноват продавец.
- **Купоны.** Купон продавца уменьшает сумму платежа, поэтому возврат считается от цены со
  скидкой. Купоны маркетплейса возвращаются в аккаунт, если срок их действия не истёк.
- **Курс валют.** Мы возвращаем ту же сумму в той валюте, в которой вы платили. Банк может
  пересчитать её по другому курсу, и сумма в валюте карты будет немного отличаться.
- **Смешанная оплата.** Если часть заказа вы оплатили с баланса на маркетплейсе, эта часть
  вернулась на баланс, а не на карту.

Если ни одна причина не подходит, напишите нам в чат и укажите номер заказа. Специалист
проверит расчёт и доплатит недостающую сумму.""",
            ),
            "el": (
                "Γιατί η επιστροφή χρημάτων είναι μικρότερη από το ποσό που πλήρωσα;",
                """Η επιστροφή μπορεί να είναι μικρότερη από την αρχική πληρωμή για μερικούς
απολύτως θεμιτούς λόγους. Ο υπολογισμός φαίνεται στην ενότητα
**«Οι παραγγελίες μου → Στοιχεία επιστροφής»**.

- **Μερική επιστροφή.** Αποδεχτήκατε μερική επιστροφή σε μια διαφορά και κρατήσατε το
  προϊόν.
- **Επιστροφή για ορισμένα προϊόντα.** Σε παραγγελία με πολλά προϊόντα, επιστρέφονται
  χρήματα μόνο για όσα ακυρώθηκαν ή επιστράφηκαν. Τα μεταφορικά επιστρέφονται μόνο αν
  ακυρωθεί όλη η παραγγελία ή αν φταίει ο πωλητής.
- **Κουπόνια.** Το κουπόνι του πωλητή μειώνει το ποσό που πληρώσατε, οπότε η επιστροφή
  υπολογίζεται στην τιμή μετά την έκπτωση. Τα κουπόνια της πλατφόρμας επιστρέφονται στον
  λογαριασμό σας, αν δεν έχουν λήξει.
- **Ισοτιμία.** Επιστρέφουμε το ίδιο ποσό στο νόμισμα που πληρώσατε. Η τράπεζα μπορεί να το
  μετατρέψει με άλλη ισοτιμία, οπότε το ποσό στο νόμισμα της κάρτας ίσως διαφέρει λίγο.
- **Μικτή πληρωμή.** Αν πληρώσατε μέρος του ποσού με το υπόλοιπο στην πλατφόρμα, αυτό το
  μέρος επιστράφηκε στο υπόλοιπο και όχι στην κάρτα.

Αν κανένας λόγος δεν εξηγεί τη διαφορά, στείλτε μας αίτημα με τον αριθμό παραγγελίας. Θα
ελέγξουμε τον υπολογισμό και θα επιστρέψουμε ό,τι λείπει.""",
            ),
        },
    },
    {
        "slug": "refund-cancel-before-shipping",
        "weight": 30,
        "operator_resolvable": True,
        "email_contact": None,
        "text": {
            "en": (
                "Can I cancel an order before it ships and get my money back?",
                """Yes. As long as the order has not been shipped, you can cancel it
yourself:

1. Open the order in **My orders**.
2. Press **Cancel order** and choose a reason.
3. Confirm. If the status is **Awaiting payment**, the order is cancelled at once. If it is
   **Awaiting shipment**, the seller has **24 hours** to respond: they either accept the
   cancellation or show that the parcel was already handed to the carrier. If the seller
   does nothing, the order is cancelled automatically.

Once the cancellation is confirmed, the full amount, including shipping, is refunded to the
original payment method: instantly to your marketplace balance, in **1–3 days** to an
e-wallet and in **3–10 business days** to a card. For an order that was never paid, any hold
on your card is released by your bank in **up to 7 days**.

If the status is already **Shipped**, you can no longer cancel. Wait for the parcel; if you
then want to send it back, see [Disputes](/help/dispute/) for when a return is possible.""",
            ),
        },
    },
    {
        "slug": "refund-return-shipping-cost",
        "weight": 20,
        "operator_resolvable": False,
        "email_contact": None,
        "text": {
            "en": (
                "Who pays for return shipping when I send an item back?",
                """It depends on why you are returning the item:

- **Not as described, defective, damaged or wrong item**: the seller pays. In the dispute
  you get a **prepaid return label**, or you pay the postage yourself and the seller
  reimburses it together with the refund. Keep the receipt from the post office.
- **Changed your mind**: only possible if the listing shows **Free returns** or
  **Returns accepted**. With Free returns the label is free; otherwise you pay the return
  postage.
- **Counterfeit item**: don't send it back. You get a full refund without a return once the
  dispute is decided.

To return an item, open a dispute from the order page within
**15 days after delivery confirmation** and choose **Return and refund**. Once the return is
agreed, ship the item within **10 days** using a trackable service and add the tracking
number to the dispute.

The refund is sent when the seller confirms receipt, or automatically if the seller does not
respond within **5 days** after the tracking shows the parcel as delivered.""",
            ),
        },
    },
]
