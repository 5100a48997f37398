"""Demo help-centre content: warranty (hand-written; English, Russian, Greek)."""

TOPIC = {
    "slug": "warranty",
    "icon": "🔧",
    "sort_order": 4,
    "email_contact": False,
    "name": {"en": "Warranty", "ru": "Гарантия", "el": "Εγγύηση"},
    "description": {
        "en": "Getting a repair or replacement when an item breaks during its warranty period.",
        "ru": "Как получить ремонт или замену, если товар сломался в течение гарантийного срока.",
        "el": "Πώς ζητάτε επισκευή ή αντικατάσταση όταν ένα προϊόν χαλάσει μέσα στην εγγύηση.",
    },
}

ENTRIES = [
    {
        "slug": "warranty-seller-refuses-repair",
        "weight": 100,
        "operator_resolvable": False,
        "email_contact": True,
        "text": {
            "en": (
                (
                    "My item broke within its warranty period and the seller refuses to repair "
                    "it. What can I do?"
                ),
                """If the fault appeared within the warranty period shown in the listing,
the seller must repair or replace the item, or refund it if neither is possible. A seller
cannot refuse a valid claim just because buyer protection has ended.

1. Make sure the claim was filed through the order: **My orders → Warranty claim**. Promises
   or refusals in private messages don't count.
2. If the seller rejected the claim, read the reason. The most common ones are accidental
   damage, water damage or a device opened by the buyer, which the warranty does not cover.
3. If you disagree, press **Escalate to support** in the claim and add a video of the fault,
   the serial number and any report from a repair shop. If the seller has not replied within
   **5 days**, the claim is escalated automatically.

The support team usually reviews the case within **3 business days**. If the claim is valid,
the seller must arrange a repair or replacement within **30 days**; if the seller fails to,
we refund the price of the item to your original payment method.

Your rights under local consumer law are not affected.""",
            ),
            "ru": (
                (
                    "Товар сломался во время гарантии, а продавец отказывается его "
                    "ремонтировать. Что делать?"
                ),
                """Если неисправность появилась в течение гарантийного срока, указанного в
описании товара, продавец обязан отремонтировать или заменить товар, а если это невозможно —
вернуть деньги. Отказать в обоснованном обращении только потому, что закончилась защита
покупателя, продавец не вправе.

1. Убедитесь, что гарантийное обращение оформлено через заказ:
   **«Мои заказы → Гарантийное обращение»**. Обещания и отказы в личных сообщениях не
   учитываются.
2. Если продавец отклонил обращение, посмотрите причину. Чаще всего это механические
   повреждения, попадание воды или вскрытие устройства покупателем — такие случаи гарантия
   не покрывает.
3. Если вы не согласны, нажмите в обращении **«Передать в поддержку»** и приложите видео
   неисправности, серийный номер и заключение сервисного центра, если оно есть. Если
   продавец не ответил в течение **5 дней**, обращение передаётся в поддержку автоматически.

Служба поддержки обычно рассматривает случай за **3 рабочих дня**. Если обращение
обоснованно, продавец должен организовать ремонт или замену в течение **30 дней**; если он
этого не сделает, мы вернём вам стоимость товара тем же способом, которым вы платили.

Ваши права по законодательству о защите прав потребителей при этом сохраняются.""",
            ),
            "el": (
                (
                    "Το προϊόν χάλασε μέσα στην εγγύηση και ο πωλητής αρνείται να το "
                    "επισκευάσει. Τι κάνω;"
                ),
                """Αν η βλάβη εμφανίστηκε μέσα στην περίοδο εγγύησης που αναφέρει η αγγελία,
ο πωλητής οφείλει να επισκευάσει ή να αντικαταστήσει το προϊόν ή, αν αυτό δεν είναι δυνατό,
να επιστρέψει τα χρήματα. Δεν μπορεί να απορρίψει ένα βάσιμο αίτημα μόνο επειδή έληξε η
προστασία αγοραστή.

1. Βεβαιωθείτε ότι το αίτημα υποβλήθηκε μέσα από την παραγγελία:
   **«Οι παραγγελίες μου → Αίτημα εγγύησης»**. Υποσχέσεις ή αρνήσεις σε ιδιωτικά μηνύματα
   δεν μετράνε.
2. Αν ο πωλητής απέρριψε το αίτημα, διαβάστε τον λόγο. Οι πιο συχνοί είναι η τυχαία ζημιά, η
   επαφή με νερό ή το άνοιγμα της συσκευής από τον αγοραστή, που δεν καλύπτονται από την
   εγγύηση.
3. Αν διαφωνείτε, πατήστε **«Παραπομπή στην υποστήριξη»** στο αίτημα και προσθέστε βίντεο
   της βλάβης, τον σειριακό αριθμό και τυχόν έκθεση τεχνικού. Αν ο πωλητής δεν απαντήσει
   μέσα σε **5 ημέρες**, το αίτημα παραπέμπεται αυτόματα.

Η ομάδα υποστήριξης εξετάζει την υπόθεση συνήθως μέσα σε **3 εργάσιμες ημέρες**. Αν το
αίτημα είναι βάσιμο, ο πωλητής πρέπει να φροντίσει για επισκευή ή αντικατάσταση μέσα σε
**30 ημέρες**· διαφορετικά σας επιστρέφουμε την τιμή του προϊόντος στον αρχικό τρόπο
πληρωμής.

Τα δικαιώματά σας βάσει της νομοθεσίας για την προστασία του καταναλωτή δεν θίγονται.""",
            ),
        },
    },
    {
        "slug": "warranty-how-to-file-claim",
        "weight": 90,
        "operator_resolvable": False,
        "email_contact": None,
        "text": {
            "en": (
                "How do I make a warranty claim?",
                """A warranty claim is filed through the order, not in private messages, so
that it is recorded and can be escalated if needed.

1. Open **My orders**, find the order and press **Warranty claim**. The button is available
   from delivery confirmation until the end of the warranty period shown in the listing.
2. Describe the fault: what happens, when it started and what you have already tried
   (charging, resetting, another cable).
3. Attach a video or photos that show the fault and the item's **serial number** or label.
4. Choose what you would prefer: repair or replacement. The seller makes the final choice,
   but often follows your preference.

The seller has **5 days** to reply. They may ask for more information, send troubleshooting
instructions, or accept the claim and give you an address for the repair or replacement. If
the seller doesn't reply within 5 days, the claim goes to the support team automatically.

You don't need a paper receipt: the order itself is your proof of purchase. Keep the
original box if you still have it, as it protects the item on its way to the seller.""",
            ),
            "ru": (
                "Как оформить гарантийное обращение?",
                """Гарантийное обращение оформляется через заказ, а не в личных сообщениях:
так оно фиксируется и при необходимости может быть передано в поддержку.

1. Откройте **«Мои заказы»**, найдите заказ и нажмите **«Гарантийное обращение»**. Кнопка
   доступна с момента подтверждения получения и до конца гарантийного срока, указанного в
   описании товара.
2. Опишите неисправность: что происходит, когда это началось и что вы уже пробовали
   (зарядить, сбросить настройки, сменить кабель).
3. Приложите видео или фото, на которых видны неисправность и **серийный номер** или
   этикетка товара.
4. Выберите, что вы предпочитаете: ремонт или замену. Окончательное решение принимает
   продавец, но часто он учитывает ваше пожелание.

У продавца есть **5 дней** на ответ. Он может запросить дополнительные сведения, прислать
инструкции или принять обращение и сообщить адрес для отправки товара на ремонт или замену.
Если продавец не ответит в течение 5 дней, обращение автоматически перейдёт в службу
поддержки.

Бумажный чек не нужен: сам заказ подтверждает покупку. Сохраните оригинальную коробку, если
она у вас осталась, — в ней товар безопаснее отправлять продавцу.""",
            ),
            "el": (
                "Πώς υποβάλλω αίτημα εγγύησης;",
                """Το αίτημα εγγύησης υποβάλλεται μέσα από την παραγγελία και όχι με
ιδιωτικά μηνύματα, ώστε να καταγράφεται και να μπορεί να παραπεμφθεί στην υποστήριξη αν
χρειαστεί.

1. Ανοίξτε την ενότητα **«Οι παραγγελίες μου»**, βρείτε την παραγγελία και πατήστε
   **«Αίτημα εγγύησης»**. Το κουμπί είναι διαθέσιμο από την επιβεβαίωση παραλαβής έως το
   τέλος της περιόδου εγγύησης που αναφέρει η αγγελία.
2. Περιγράψτε τη βλάβη: τι συμβαίνει, πότε ξεκίνησε και τι έχετε ήδη δοκιμάσει (φόρτιση,
   επαναφορά, άλλο καλώδιο).
3. Επισυνάψτε βίντεο ή φωτογραφίες όπου φαίνονται η βλάβη και ο **σειριακός αριθμός** ή η
   ετικέτα του προϊόντος.
4. Επιλέξτε τι προτιμάτε: επισκευή ή αντικατάσταση. Την τελική επιλογή την κάνει ο πωλητής,
   αλλά συχνά ακολουθεί την προτίμησή σας.

Ο πωλητής έχει **5 ημέρες** για να απαντήσει. Μπορεί να ζητήσει περισσότερες πληροφορίες, να
σας στείλει οδηγίες ή να αποδεχτεί το αίτημα και να σας δώσει διεύθυνση για την επισκευή ή
την αντικατάσταση. Αν δεν απαντήσει μέσα σε 5 ημέρες, το αίτημα περνά αυτόματα στην ομάδα
υποστήριξης.

Δεν χρειάζεστε χάρτινη απόδειξη: η ίδια η παραγγελία αποδεικνύει την αγορά. Κρατήστε την
αρχική συσκευασία, αν την έχετε, γιατί προστατεύει το προϊόν στη μεταφορά.""",
            ),
        },
    },
    {
        "slug": "warranty-proof-of-purchase",
        "weight": 80,
        "operator_resolvable": True,
        "email_contact": None,
        "text": {
            "en": (
                "What proof of purchase do I need for a warranty claim?",
                """For claims filed through the marketplace, the
**order itself is the proof of purchase**: the seller sees the order number, the delivery
date and the item, so you don't need to send a receipt.

You may need a document in other situations:

- **The brand's authorised service centres** often ask for a receipt. Download it from
  **My orders → Payment details → Download receipt**; it shows the order number, the item,
  the price and the date.
- **A manufacturer's warranty** may also require the **serial number** to match. Check that
  the number on the device matches the one on the box and, if the listing mentions one, on
  the warranty card.
- **A warranty card** included in the box should be kept; if the seller filled it in, check
  the date and the stamp.

If you bought the item as a gift, the person who placed the order can download the receipt
and forward it: the warranty is tied to the order, not to the person using the item.

If the receipt download fails or shows wrong details, an agent can reissue it for you in
chat.""",
            ),
            "ru": (
                "Какое подтверждение покупки нужно для гарантийного обращения?",
                """Для обращений через маркетплейс
**подтверждением покупки служит сам заказ**: продавец видит номер заказа, дату доставки и
товар, поэтому чек прикладывать не нужно.

Документ может понадобиться в других случаях:

- **Авторизованные сервисные центры** бренда часто просят чек. Скачайте его в разделе
  **«Мои заказы → Детали платежа → Скачать чек»**: в нём указаны номер заказа, товар, цена и
  дата.
- Для **гарантии производителя** может потребоваться совпадение **серийного номера**.
  Проверьте, что номер на устройстве совпадает с номером на коробке и, если он упомянут в
  описании, в гарантийном талоне.
- **Гарантийный талон**, вложенный в коробку, сохраните; если продавец его заполнил,
  проверьте дату и печать.

Если товар покупали в подарок, тот, кто оформлял заказ, может скачать чек и переслать его:
гарантия привязана к заказу, а не к тому, кто пользуется товаром.

Если чек не скачивается или в нём ошибки, специалист в чате выпустит его заново.""",
            ),
            "el": (
                "Τι απόδειξη αγοράς χρειάζομαι για αίτημα εγγύησης;",
                """Για αιτήματα που υποβάλλονται μέσω της πλατφόρμας,
**απόδειξη αγοράς είναι η ίδια η παραγγελία**: ο πωλητής βλέπει τον αριθμό παραγγελίας, την
ημερομηνία παράδοσης και το προϊόν, οπότε δεν χρειάζεται να στείλετε απόδειξη.

Ένα έγγραφο μπορεί να χρειαστεί σε άλλες περιπτώσεις:

- Τα **εξουσιοδοτημένα σέρβις** της μάρκας συχνά ζητούν απόδειξη. Κατεβάστε την από
  **«Οι παραγγελίες μου → Στοιχεία πληρωμής → Λήψη απόδειξης»**· περιλαμβάνει αριθμό
  παραγγελίας, προϊόν, τιμή και ημερομηνία.
- Για την **εγγύηση του κατασκευαστή** μπορεί να πρέπει να ταιριάζει ο
  **σειριακός αριθμός**. Ελέγξτε ότι ο αριθμός στη συσκευή είναι ίδιος με εκείνον στη
  συσκευασία και, αν την αναφέρει η αγγελία, στην κάρτα εγγύησης.
- Την **κάρτα εγγύησης** που βρίσκεται στη συσκευασία κρατήστε τη· αν τη συμπλήρωσε ο
  πωλητής, ελέγξτε την ημερομηνία και τη σφραγίδα.

Αν αγοράσατε το προϊόν για δώρο, όποιος έκανε την παραγγελία μπορεί να κατεβάσει την
απόδειξη και να την προωθήσει· η εγγύηση συνδέεται με την παραγγελία και όχι με το άτομο που
χρησιμοποιεί το προϊόν.

Αν η λήψη αποτυγχάνει ή η απόδειξη έχει λάθη, στείλτε μας αίτημα και θα την εκδώσουμε ξανά.""",
            ),
        },
    },
    {
        "slug": "warranty-repair-or-replacement",
        "weight": 70,
        "operator_resolvable": False,
        "email_contact": None,
        "text": {
            "en": (
                "Will I get a repair, a replacement or a refund under warranty?",
                """The warranty entitles you to have the fault fixed at no cost. How it is
fixed is decided by the seller, within these rules:

- **Repair** is the usual first option for larger or more expensive items, such as laptops,
  phones and appliances. The seller must send the repaired item back within **30 days** of
  receiving it.
- **Replacement** with the same model, or with an equivalent one you agree to, is common for
  cheaper items and when a repair would take longer than 30 days.
- **Refund** is due when neither repair nor replacement is possible, for example because the
  model has been discontinued, or when the same fault comes back after **two repairs**.

You don't pay for parts, labour or shipping within the warranty. A replacement item keeps
the **remaining** warranty of the original, and at least 3 months.

If the seller proposes something you don't accept, such as a partial refund instead of a
repair, you may reject it and escalate the claim to the support team, which usually decides
within **3 business days**.""",
            ),
            "ru": (
                "Что я получу по гарантии: ремонт, замену или возврат средств?",
                """Гарантия даёт право бесплатно устранить неисправность. Каким способом,
решает продавец, но в рамках следующих правил:

- **Ремонт** — обычный первый вариант для крупной или дорогой техники: ноутбуков, телефонов,
  бытовых приборов. Продавец должен вернуть отремонтированный товар в течение **30 дней** с
  момента получения.
- **Замена** на такую же модель или, с вашего согласия, на равноценную — частый вариант для
  недорогих товаров, а также когда ремонт занял бы больше 30 дней.
- **Возврат средств** положен, если ни ремонт, ни замена невозможны — например, модель снята
  с производства, — или если та же неисправность возвращается после **двух ремонтов**.

За детали, работу и доставку в рамках гарантии вы не платите. На заменённый товар переходит
**оставшийся** срок гарантии исходного, но не меньше 3 месяцев.

Если продавец предлагает то, с чем вы не согласны, — например, частичный возврат вместо
ремонта, — вы можете отказаться и передать обращение в службу поддержки, которая обычно
принимает решение за **3 рабочих дня**.""",
            ),
            "el": (
                "Τι θα πάρω με την εγγύηση: επισκευή, αντικατάσταση ή επιστροφή χρημάτων;",
                """Η εγγύηση σας δίνει δικαίωμα να αποκατασταθεί η βλάβη χωρίς κόστος. Τον
τρόπο τον αποφασίζει ο πωλητής, με τους εξής κανόνες:

- Η **επισκευή** είναι η συνήθης πρώτη επιλογή για μεγαλύτερα ή ακριβότερα προϊόντα, όπως
  φορητούς υπολογιστές, κινητά και οικιακές συσκευές. Ο πωλητής πρέπει να σας επιστρέψει το
  επισκευασμένο προϊόν μέσα σε **30 ημέρες** από τη στιγμή που το παραλαμβάνει.
- Η **αντικατάσταση** με το ίδιο μοντέλο, ή με ισοδύναμο αν συμφωνείτε, είναι συνηθισμένη
  για φθηνότερα προϊόντα και όταν η επισκευή θα διαρκούσε πάνω από 30 ημέρες.
- Η **επιστροφή χρημάτων** οφείλεται όταν δεν είναι δυνατή ούτε επισκευή ούτε αντικατάσταση,
  για παράδειγμα επειδή το μοντέλο έχει καταργηθεί, ή όταν η ίδια βλάβη επανέρχεται μετά από
  **δύο επισκευές**.

Μέσα στην εγγύηση δεν πληρώνετε ανταλλακτικά, εργασία ή μεταφορικά. Το προϊόν αντικατάστασης
διατηρεί την **υπόλοιπη** εγγύηση του αρχικού, τουλάχιστον όμως 3 μήνες.

Αν ο πωλητής προτείνει κάτι που δεν δέχεστε, όπως μερική επιστροφή αντί για επισκευή,
μπορείτε να το απορρίψετε και να παραπέμψετε το αίτημα στην ομάδα υποστήριξης, η οποία
συνήθως αποφασίζει μέσα σε **3 εργάσιμες ημέρες**.""",
            ),
        },
    },
    {
        "slug": "warranty-claim-outside-period",
        "weight": 60,
        "operator_resolvable": False,
        "email_contact": None,
        "text": {
            "en": (
                "My item broke after the warranty expired. Can I still claim?",
                """Once the warranty period shown in the listing has ended, the
**Warranty claim** button disappears and the seller is no longer obliged to repair the item
for free. The period counts from **delivery confirmation**, so first check the exact end
date on the order page: it may be later than you think.

If the warranty really has expired, you still have options:

- **Ask the seller for a paid repair or spare parts.** Many sellers offer this; write in the
  order chat.
- **Check the manufacturer's warranty.** Some brands give a longer warranty than the seller;
  it is usually stated on the warranty card or the brand's website.
- **Check your local consumer law.** In many countries you have rights for a defect that
  already existed at delivery, for example up to 2 years in the EU. These rights are between
  you and the seller: we can forward your written claim to the seller, but we cannot decide
  it.

If the fault started **before** the warranty ended and you reported it to the seller in
writing in the order chat, create a request in [My requests](/help/requests/): such a claim
can still be reviewed.""",
            ),
            "ru": (
                "Товар сломался после окончания гарантии. Можно ли что-то сделать?",
                """После окончания гарантийного срока, указанного в описании товара, кнопка
**«Гарантийное обращение»** исчезает, и продавец больше не обязан ремонтировать товар
бесплатно. Срок отсчитывается от **подтверждения получения**, поэтому сначала проверьте
точную дату окончания на странице заказа — она может оказаться позже, чем вы думаете.

Если гарантия действительно закончилась, варианты всё же есть:

- **Попросите продавца о платном ремонте или запчастях.** Многие продавцы это предлагают —
  напишите в чат заказа.
- **Проверьте гарантию производителя.** Некоторые бренды дают гарантию дольше, чем продавец;
  обычно она указана в гарантийном талоне или на сайте бренда.
- **Узнайте свои права по закону.** Во многих странах закон защищает покупателя, если дефект
  существовал уже при доставке, — например, в ЕС до 2 лет. Эти права действуют между вами и
  продавцом: мы можем переслать продавцу вашу письменную претензию, но решать её не можем.

Если поломка началась **до** окончания гарантии и вы письменно сообщили о ней продавцу в
чате заказа, создайте обращение в разделе [«Мои обращения»](/help/requests/) — такую
претензию ещё можно рассмотреть.""",
            ),
            "el": (
                "Το προϊόν χάλασε αφού έληξε η εγγύηση. Μπορώ να κάνω κάτι;",
                """Μόλις λήξει η περίοδος εγγύησης που αναφέρει η αγγελία, το κουμπί
**«Αίτημα εγγύησης»** εξαφανίζεται και ο πωλητής δεν είναι πλέον υποχρεωμένος να επισκευάσει
δωρεάν το προϊόν. Η περίοδος μετράει από την **επιβεβαίωση παραλαβής**, οπότε ελέγξτε πρώτα
την ακριβή ημερομηνία λήξης στη σελίδα της παραγγελίας· μπορεί να είναι αργότερα απ' ό,τι
νομίζετε.

Αν η εγγύηση έχει όντως λήξει, υπάρχουν ακόμη επιλογές:

- **Ζητήστε από τον πωλητή επισκευή επί πληρωμή ή ανταλλακτικά.** Πολλοί πωλητές το
  προσφέρουν· γράψτε στη συνομιλία της παραγγελίας.
- **Ελέγξτε την εγγύηση του κατασκευαστή.** Ορισμένες μάρκες δίνουν μεγαλύτερη εγγύηση από
  τον πωλητή· συνήθως αναγράφεται στην κάρτα εγγύησης ή στον ιστότοπο της μάρκας.
- **Ελέγξτε τη νομοθεσία για τον καταναλωτή.** Στην ΕΕ, για παράδειγμα, έχετε δικαιώματα έως
  2 χρόνια για ελάττωμα που υπήρχε ήδη κατά την παράδοση. Τα δικαιώματα αυτά ισχύουν ανάμεσα
  σε εσάς και τον πωλητή· μπορούμε να του προωθήσουμε τη γραπτή σας αξίωση, αλλά δεν
  μπορούμε να αποφασίσουμε εμείς.

Αν η βλάβη ξεκίνησε **πριν** λήξει η εγγύηση και το αναφέρατε γραπτώς στον πωλητή στη
συνομιλία της παραγγελίας, δημιουργήστε αίτημα στην ενότητα
[«Τα αιτήματά μου»](/help/requests/)· η περίπτωσή σας μπορεί ακόμη να εξεταστεί.""",
            ),
        },
    },
    {
        "slug": "warranty-ship-item-for-repair",
        "weight": 50,
        "operator_resolvable": False,
        "email_contact": None,
        "text": {
            "en": (
                "How do I ship a broken item back to the seller for warranty repair?",
                """Send the item only after the seller has **accepted your warranty claim**
and the return address is shown in the claim. Parcels sent without an accepted claim may be
refused and are hard to trace.

1. **Back up and reset** phones, laptops and other devices with personal data, and remove
   SIM and memory cards.
2. **Pack it well**, in the original box if you have it, with padding. Include the charger
   or accessories only if the seller asks for them.
3. Put a note inside with your **order number** and a short description of the fault.
4. **Ship it with tracking** within **10 days** of the claim being accepted, using the
   prepaid label from the claim if the seller provided one.
5. Add the **tracking number** to the claim and keep the shipping receipt.

Within the warranty, shipping both ways is paid by the seller. If there is no prepaid label,
pay the postage yourself: once the seller confirms the fault, the cost is reimbursed to your
**marketplace balance**. Items with lithium batteries may need a special service; ask at the
post office.

The seller must send back the repaired item or a replacement within **30 days** of receiving
yours.""",
            ),
            "ru": (
                "Как отправить сломанный товар продавцу на гарантийный ремонт?",
                """Отправляйте товар только после того, как продавец
**принял ваше гарантийное обращение** и в нём появился адрес для отправки. Посылки без
принятого обращения могут не принять, а отследить их сложно.

1. **Сохраните данные и сбросьте настройки** телефонов, ноутбуков и других устройств с
   личной информацией, выньте SIM-карту и карту памяти.
2. **Надёжно упакуйте товар** — в оригинальную коробку, если она есть, с уплотнителем.
   Зарядное устройство и аксессуары вкладывайте, только если продавец об этом просит.
3. Вложите записку с **номером заказа** и кратким описанием неисправности.
4. **Отправьте посылку с отслеживанием** в течение **10 дней** после принятия обращения — по
   оплаченной накладной из обращения, если продавец её предоставил.
5. Добавьте **трек-номер** в обращение и сохраните квитанцию об отправке.

В период гарантии доставку в обе стороны оплачивает продавец. Если оплаченной накладной нет,
оплатите отправку сами: когда продавец подтвердит неисправность, стоимость вернётся на ваш
**баланс на маркетплейсе**. Для товаров с литиевыми аккумуляторами может понадобиться особый
способ отправки — уточните на почте.

Продавец должен вернуть отремонтированный товар или замену в течение **30 дней** после
получения.""",
            ),
            "el": (
                "Πώς στέλνω ένα χαλασμένο προϊόν στον πωλητή για επισκευή εντός εγγύησης;",
                """Στείλτε το προϊόν μόνο αφού ο πωλητής **αποδεχτεί το αίτημα εγγύησης**
και εμφανιστεί σε αυτό η διεύθυνση αποστολής. Δέματα χωρίς αποδεκτό αίτημα μπορεί να μην
παραληφθούν και εντοπίζονται δύσκολα.

1. **Κρατήστε αντίγραφο ασφαλείας και κάντε επαναφορά** σε κινητά, υπολογιστές και άλλες
   συσκευές με προσωπικά δεδομένα· αφαιρέστε την κάρτα SIM και την κάρτα μνήμης.
2. **Συσκευάστε το προσεκτικά**, στην αρχική συσκευασία αν την έχετε, με υλικό προστασίας.
   Βάλτε φορτιστή ή αξεσουάρ μόνο αν τα ζητήσει ο πωλητής.
3. Βάλτε μέσα ένα σημείωμα με τον **αριθμό παραγγελίας** και σύντομη περιγραφή της βλάβης.
4. **Στείλτε το με παρακολούθηση** μέσα σε **10 ημέρες** από την αποδοχή του αιτήματος, με
   την προπληρωμένη ετικέτα του αιτήματος, αν τη δίνει ο πωλητής.
5. Προσθέστε τον **αριθμό αποστολής** στο αίτημα και κρατήστε την απόδειξη.

Στη διάρκεια της εγγύησης τα μεταφορικά και προς τις δύο κατευθύνσεις τα πληρώνει ο πωλητής.
Αν δεν υπάρχει προπληρωμένη ετικέτα, πληρώστε εσείς την αποστολή· μόλις ο πωλητής
επιβεβαιώσει τη βλάβη, το ποσό επιστρέφεται στο **υπόλοιπό σας στην πλατφόρμα**. Για
προϊόντα με μπαταρίες λιθίου ίσως χρειάζεται ειδική αποστολή· ρωτήστε στο ταχυδρομείο.

Ο πωλητής πρέπει να σας στείλει πίσω το επισκευασμένο προϊόν ή αντικατάσταση μέσα σε
**30 ημέρες** από την παραλαβή.""",
            ),
        },
    },
    {
        "slug": "warranty-check-period",
        "weight": 40,
        "operator_resolvable": True,
        "email_contact": None,
        "text": {
            "en": (
                "How do I find out how long the warranty on my item is?",
                """The warranty period is set by the seller and shown in the listing under
**Warranty**, before you buy. Most electronics come with **12 months**; some sellers offer
6, 24 or 36 months, and some items, such as consumables, have no warranty at all.

After you buy, the period is fixed in your order and does not change even if the seller
edits the listing later. To see it:

1. Open the order in **My orders**.
2. Find **Warranty** in the order details: it shows the period and the exact **end date**.

The period starts on the day of **delivery confirmation**, whether you confirmed the order
yourself or it was confirmed automatically.

Don't mix up the two kinds of protection. **Buyer protection** (15 days after delivery
confirmation) covers non-delivery and wrong or damaged items, and is handled through a
dispute. The **warranty** covers faults that appear later during normal use, and is handled
through a warranty claim.

If the order page shows no warranty but the listing promised one, contact us in chat and an
agent will check the listing's history.""",
            ),
            "ru": (
                "Как узнать, какая гарантия на мой товар?",
                """Гарантийный срок устанавливает продавец, и он указан в описании товара в
разделе **«Гарантия»** ещё до покупки. На большую часть электроники даётся **12 месяцев**;
некоторые продавцы предлагают 6, 24 или 36 месяцев, а на часть товаров, например расходные
материалы, гарантии нет вовсе.

После покупки срок фиксируется в заказе и не меняется, даже если продавец позже
отредактирует описание. Чтобы его посмотреть:

1. Откройте заказ в разделе **«Мои заказы»**.
2. Найдите в деталях заказа блок **«Гарантия»**: там указаны срок и точная
   **дата окончания**.

Срок отсчитывается со дня **подтверждения получения** — неважно, подтвердили вы заказ сами
или он подтвердился автоматически.

Не путайте два вида защиты. **Защита покупателя** (15 дней после подтверждения получения)
распространяется на неполученные, не те или повреждённые товары и действует через спор.
**Гарантия** покрывает неисправности, появившиеся позже при обычном использовании, и
оформляется через гарантийное обращение.

Если на странице заказа гарантия не указана, хотя в описании она была, напишите нам в чат —
специалист проверит историю изменений товара.""",
            ),
            "el": (
                "Πώς μαθαίνω πόση εγγύηση έχει το προϊόν μου;",
                """Την περίοδο εγγύησης την ορίζει ο πωλητής και αναγράφεται στην αγγελία,
στην ενότητα **«Εγγύηση»**, πριν από την αγορά. Τα περισσότερα ηλεκτρονικά έχουν
**12 μήνες**· ορισμένοι πωλητές δίνουν 6, 24 ή 36 μήνες, ενώ κάποια προϊόντα, όπως τα
αναλώσιμα, δεν έχουν καθόλου εγγύηση.

Μετά την αγορά η περίοδος καταγράφεται στην παραγγελία και δεν αλλάζει, ακόμη κι αν ο
πωλητής τροποποιήσει αργότερα την αγγελία. Για να τη δείτε:

1. Ανοίξτε την παραγγελία στην ενότητα **«Οι παραγγελίες μου»**.
2. Βρείτε το πεδίο **«Εγγύηση»** στα στοιχεία της παραγγελίας: εκεί φαίνονται η διάρκεια και
   η ακριβής **ημερομηνία λήξης**.

Η περίοδος ξεκινά την ημέρα της **επιβεβαίωσης παραλαβής**, είτε την επιβεβαιώσατε εσείς
είτε επιβεβαιώθηκε αυτόματα.

Μην μπερδεύετε τα δύο είδη προστασίας. Η **προστασία αγοραστή** (15 ημέρες μετά την
επιβεβαίωση παραλαβής) καλύπτει μη παράδοση, λάθος ή κατεστραμμένα προϊόντα και αφορά τις
διαφορές. Η **εγγύηση** καλύπτει βλάβες που εμφανίζονται αργότερα με κανονική χρήση και
αφορά τα αιτήματα εγγύησης.

Αν η σελίδα της παραγγελίας δεν δείχνει εγγύηση ενώ η αγγελία την ανέφερε, στείλτε μας
αίτημα για να ελέγξουμε το ιστορικό της αγγελίας.""",
            ),
        },
    },
    {
        "slug": "warranty-extended-protection-plans",
        "weight": 30,
        "operator_resolvable": False,
        "email_contact": None,
        "text": {
            "en": (
                "What are extended protection plans, and are they worth buying?",
                """Some electronics and appliances can be bought with an optional
**extended protection plan**, offered at checkout by our insurance partner. It is separate
from the seller's warranty.

What a plan gives you:

- **1 or 2 extra years** of cover after the seller's warranty ends.
- Repair or replacement for breakdowns during normal use. Plans marked **Plus** also cover
  accidental damage, such as a cracked screen or a spill, with one claim per year.
- Claims handled by the insurance partner, not the seller, so the plan still works if the
  seller leaves the marketplace.

Before you buy: the plan is paid once at checkout or monthly, it covers only that order's
item, and it cannot be added later. You can cancel it within **30 days** for a full refund,
or later for a refund of the unused part. Theft, loss and purely cosmetic damage are not
covered.

To claim, open the order and press **Protection plan → Make a claim**; the partner's service
desk answers within 2 business days. While the seller's warranty is still running, make a
normal warranty claim first.

A plan is most worth it for expensive devices that you carry around every day.""",
            ),
        },
    },
    {
        "slug": "warranty-accidental-damage",
        "weight": 20,
        "operator_resolvable": False,
        "email_contact": None,
        "text": {
            "en": (
                "Does the warranty cover accidental damage, water damage or a cracked screen?",
                """No. The seller's warranty covers **manufacturing defects** that appear
during normal use: a device that stops charging, a button that fails, a motor that burns
out. It does not cover:

- drops, cracks, dents and broken screens;
- water or other liquid damage, even for items advertised as water resistant, unless the
  listing explicitly includes it;
- damage from an unsuitable charger, a power surge or the wrong voltage;
- items opened, modified or repaired by anyone other than the seller or an authorised
  service centre;
- normal wear, such as scratches or battery capacity falling slowly over time.

If the seller rejects a claim as accidental damage but you believe it is a defect, for
example a screen that cracked by itself without any impact, escalate the claim to the
support team with a video and a description of how it happened.

If you bought an **extended protection plan** marked **Plus** at checkout, the plan may
cover accidental damage instead; claim it from the order page under **Protection plan**.

Damage that happened in transit is a matter for buyer protection, not the warranty: open a
dispute within **15 days after delivery confirmation**.""",
            ),
        },
    },
]
