"""Demo help-centre content: payment (hand-written; English, Russian, Greek)."""

TOPIC = {
    "slug": "payment",
    "icon": "💳",
    "sort_order": 1,
    "email_contact": True,
    "name": {"en": "Payment", "ru": "Оплата", "el": "Πληρωμή"},
    "description": {
        "en": (
            "Paying for orders: failed or declined payments, double charges, currency and your "
            "balance."
        ),
        "ru": "Оплата заказов: неудачные и отклонённые платежи, двойные списания, валюта и баланс.",
        "el": (
            "Πληρωμή παραγγελιών: αποτυχημένες ή απορριφθείσες πληρωμές, διπλές χρεώσεις, "
            "νόμισμα και υπόλοιπο."
        ),
    },
}

ENTRIES = [
    {
        "slug": "payment-failed-money-taken",
        "weight": 100,
        "operator_resolvable": True,
        "email_contact": None,
        "text": {
            "en": (
                (
                    "My payment failed but the money left my account. Where is it, and did the "
                    "seller get it?"
                ),
                """When a payment fails, your bank usually does not take the money for good.
It places a temporary **hold** on the amount, so it looks as if you were charged. The hold
is released automatically and the money returns to your available balance in
**up to 7 days**, depending on your bank.

Check the order status in **My orders** first:

1. **Awaiting payment** or **Payment failed**: we did not receive the money, and the seller
   was not paid. Wait for the hold to be released, and pay again only if you still want the
   item.
2. **Paid**: the payment went through late (bank confirmations can take up to 24 hours).
   Nothing else is needed.
3. **Cancelled**: the order was closed because the payment did not complete. Any hold is
   released in the same way.

If the money is still missing after 7 days, ask your bank for a statement that shows a
completed charge, not a pending one, and attach it to a request in
[My requests](/help/requests/). An agent will trace the transaction and either confirm your
order or refund the full amount.""",
            ),
            "ru": (
                "Платёж не прошёл, но деньги списались. Где они и получил ли их продавец?",
                """Если платёж не прошёл, банк обычно не списывает деньги окончательно, а
временно **блокирует** сумму — поэтому кажется, что она уже списана. Блокировка снимается
автоматически, и деньги возвращаются на счёт в течение **7 дней**; точный срок зависит от
вашего банка.

Сначала проверьте статус заказа в разделе **«Мои заказы»**:

1. **«Ожидает оплаты»** или **«Платёж не прошёл»** — мы не получили деньги, и продавцу
   ничего не поступило. Дождитесь снятия блокировки и повторяйте попытку, только если товар
   вам всё ещё нужен.
2. **«Оплачен»** — платёж прошёл с задержкой: подтверждение от банка может идти до 24 часов.
   Больше ничего делать не нужно.
3. **«Отменён»** — заказ закрыт, потому что оплату не удалось завершить. Блокировка снимется
   так же, как описано выше.

Если через 7 дней деньги так и не вернулись, запросите в банке выписку, где видно
завершённое списание, а не операцию в обработке, и приложите её к обращению в разделе
[«Мои обращения»](/help/requests/). Специалист отследит транзакцию и либо подтвердит заказ,
либо оформит возврат средств в полном объёме.""",
            ),
            "el": (
                "Η πληρωμή απέτυχε, αλλά τα χρήματα χρεώθηκαν. Πού είναι και τα έλαβε ο πωλητής;",
                """Όταν μια πληρωμή αποτυγχάνει, η τράπεζα συνήθως δεν αφαιρεί οριστικά τα
χρήματα. Τα **δεσμεύει** προσωρινά, γι' αυτό φαίνεται σαν να έγινε χρέωση. Η δέσμευση
αίρεται αυτόματα και το ποσό επιστρέφει στο διαθέσιμο υπόλοιπό σας σε **έως 7 ημέρες**,
ανάλογα με την τράπεζα.

Ελέγξτε πρώτα την κατάσταση της παραγγελίας στην ενότητα **«Οι παραγγελίες μου»**:

1. **«Αναμονή πληρωμής»** ή **«Η πληρωμή απέτυχε»**: δεν λάβαμε τα χρήματα και ο πωλητής δεν
   πληρώθηκε. Περιμένετε να αρθεί η δέσμευση και πληρώστε ξανά μόνο αν θέλετε ακόμη το
   προϊόν.
2. **«Πληρώθηκε»**: η πληρωμή ολοκληρώθηκε με καθυστέρηση, καθώς η επιβεβαίωση της τράπεζας
   μπορεί να αργήσει έως 24 ώρες. Δεν χρειάζεται τίποτε άλλο.
3. **«Ακυρώθηκε»**: η παραγγελία έκλεισε επειδή η πληρωμή δεν ολοκληρώθηκε. Η δέσμευση
   αίρεται με τον ίδιο τρόπο.

Αν μετά από 7 ημέρες τα χρήματα δεν έχουν επιστραφεί, ζητήστε από την τράπεζα κίνηση
λογαριασμού που να δείχνει ολοκληρωμένη χρέωση, όχι εκκρεμή, και επισυνάψτε την σε αίτημα
στην ενότητα [«Τα αιτήματά μου»](/help/requests/). Θα εντοπίσουμε τη συναλλαγή και είτε θα
επιβεβαιώσουμε την παραγγελία είτε θα κάνουμε πλήρη επιστροφή χρημάτων.""",
            ),
        },
    },
    {
        "slug": "payment-declined-by-bank",
        "weight": 90,
        "operator_resolvable": False,
        "email_contact": None,
        "text": {
            "en": (
                "Why was my payment declined by the bank?",
                """A decline comes from your bank or card issuer, not from the seller, and
the bank does not tell us the exact reason. The most common causes are:

- not enough funds, or a daily limit for online or foreign payments;
- the card is blocked for payments abroad (our payment processor may be located outside your
  country);
- a mistake in the card number, expiry date, CVC or cardholder name;
- the 3-D Secure code was not entered in time;
- the bank's fraud check stopped an unusual purchase.

What to do:

1. Check the card details and try once more.
2. If it is declined again, call the number on the back of your card and ask the bank to
   allow the payment. Mention that it is an online purchase from an international
   marketplace.
3. Or choose another method: a different card, an e-wallet or your marketplace balance.

Avoid many retries in a row: some banks block the card for a while after several failed
attempts. A declined payment is not charged, although a short hold may appear; it is
released in **up to 7 days**.""",
            ),
            "ru": (
                "Почему банк отклонил мой платёж?",
                """Платёж отклоняет банк, выпустивший карту, а не продавец, и точную причину
банк нам не сообщает. Чаще всего дело в следующем:

- недостаточно средств или исчерпан дневной лимит на интернет-платежи или операции за
  рубежом;
- по карте запрещены зарубежные операции (наш платёжный партнёр может находиться в другой
  стране);
- ошибка в номере карты, сроке действия, CVC-коде или имени владельца;
- код 3-D Secure не был введён вовремя;
- система безопасности банка сочла покупку подозрительной.

Что делать:

1. Проверьте данные карты и попробуйте ещё раз.
2. Если платёж снова отклонён, позвоните по номеру на обороте карты и попросите банк
   разрешить операцию. Уточните, что это покупка на международном маркетплейсе.
3. Или выберите другой способ: другую карту, электронный кошелёк или баланс на маркетплейсе.

Не повторяйте попытки много раз подряд: после нескольких отказов некоторые банки временно
блокируют карту. За отклонённый платёж деньги не списываются, хотя может появиться временная
блокировка суммы — она снимается в течение **7 дней**.""",
            ),
            "el": (
                "Γιατί η τράπεζα απέρριψε την πληρωμή μου;",
                """Την απόρριψη την κάνει η τράπεζα που έχει εκδώσει την κάρτα σας, όχι ο
πωλητής, και η τράπεζα δεν μας γνωστοποιεί τον ακριβή λόγο. Οι πιο συχνές αιτίες είναι:

- ανεπαρκές υπόλοιπο ή ημερήσιο όριο για ηλεκτρονικές αγορές ή πληρωμές στο εξωτερικό
- η κάρτα δεν επιτρέπει συναλλαγές στο εξωτερικό (ο πάροχος πληρωμών μας μπορεί να βρίσκεται
  σε άλλη χώρα)
- λάθος στον αριθμό της κάρτας, στην ημερομηνία λήξης, στο CVC ή στο όνομα κατόχου
- ο κωδικός 3-D Secure δεν καταχωρίστηκε εγκαίρως
- ο έλεγχος ασφαλείας της τράπεζας θεώρησε την αγορά ασυνήθιστη

Τι μπορείτε να κάνετε:

1. Ελέγξτε τα στοιχεία της κάρτας και δοκιμάστε ξανά.
2. Αν απορριφθεί πάλι, καλέστε τον αριθμό στο πίσω μέρος της κάρτας και ζητήστε από την
   τράπεζα να εγκρίνει τη συναλλαγή. Αναφέρετε ότι πρόκειται για ηλεκτρονική αγορά από
   διεθνή πλατφόρμα.
3. Ή επιλέξτε άλλον τρόπο: άλλη κάρτα, ηλεκτρονικό πορτοφόλι ή το υπόλοιπο στην πλατφόρμα.

Μην επαναλαμβάνετε την προσπάθεια πολλές φορές στη σειρά, γιατί ορισμένες τράπεζες
μπλοκάρουν προσωρινά την κάρτα μετά από αρκετές αποτυχίες. Μια απορριφθείσα πληρωμή δεν
χρεώνεται, αν και μπορεί να εμφανιστεί προσωρινή δέσμευση, η οποία αίρεται σε
**έως 7 ημέρες**.""",
            ),
        },
    },
    {
        "slug": "payment-charged-twice",
        "weight": 80,
        "operator_resolvable": True,
        "email_contact": None,
        "text": {
            "en": (
                "I was charged twice for one order. What should I do?",
                """In most cases only one of the two transactions is a real charge. The
other is a temporary **hold** from an earlier attempt that failed or timed out, and your
bank releases it automatically in **up to 7 days**.

To check:

1. Open **My orders** and make sure you really have one order, not two. If you placed the
   same order twice by mistake, cancel the one you don't need before it ships; the refund
   starts straight away.
2. Look at your bank app. A hold usually shows as "pending" or "reserved", a real charge as
   "completed".
3. If you still see two completed charges for a single order after 7 days, write to us in
   chat or create a request in [My requests](/help/requests/) with a screenshot or statement
   showing both transactions.

An agent will check the payment log with our payment processor. A confirmed duplicate charge
is refunded in full to the same card and appears in **3–10 business days**, or instantly if
you choose your marketplace balance instead.""",
            ),
            "ru": (
                "С меня дважды списали деньги за один заказ. Что делать?",
                """Обычно только одна из двух операций — настоящее списание. Вторая —
временная **блокировка** суммы от предыдущей попытки, которая не прошла или прервалась. Банк
снимает её автоматически в течение **7 дней**.

Как проверить:

1. Откройте **«Мои заказы»** и убедитесь, что заказ действительно один. Если вы по ошибке
   оформили один и тот же заказ дважды, отмените лишний до отправки — возврат средств
   начнётся сразу.
2. Посмотрите в приложение банка. Блокировка обычно отмечена как «в обработке» или
   «заблокировано», а настоящее списание — как «выполнено».
3. Если через 7 дней по одному заказу всё ещё видны два завершённых списания, напишите нам в
   чат или создайте обращение в разделе [«Мои обращения»](/help/requests/), приложив
   скриншот или выписку с обеими операциями.

Специалист сверит журнал платежей с нашим платёжным партнёром. Подтверждённое двойное
списание мы вернём полностью на ту же карту: деньги поступят через **3–10 рабочих дней**, а
если вы выберете баланс на маркетплейсе — мгновенно.""",
            ),
            "el": (
                "Χρεώθηκα δύο φορές για μία παραγγελία. Τι πρέπει να κάνω;",
                """Στις περισσότερες περιπτώσεις μόνο η μία από τις δύο συναλλαγές είναι
πραγματική χρέωση. Η άλλη είναι προσωρινή **δέσμευση** από προηγούμενη προσπάθεια που
απέτυχε ή διακόπηκε, και η τράπεζα την αίρει αυτόματα σε **έως 7 ημέρες**.

Πώς να το ελέγξετε:

1. Ανοίξτε την ενότητα **«Οι παραγγελίες μου»** και βεβαιωθείτε ότι υπάρχει πράγματι μία
   παραγγελία και όχι δύο. Αν κάνατε κατά λάθος την ίδια παραγγελία δύο φορές, ακυρώστε αυτή
   που δεν χρειάζεστε πριν αποσταλεί· η επιστροφή χρημάτων ξεκινά αμέσως.
2. Δείτε την εφαρμογή της τράπεζάς σας. Η δέσμευση εμφανίζεται συνήθως ως «σε εκκρεμότητα»,
   ενώ η πραγματική χρέωση ως «ολοκληρωμένη».
3. Αν μετά από 7 ημέρες βλέπετε ακόμη δύο ολοκληρωμένες χρεώσεις για μία παραγγελία,
   δημιουργήστε αίτημα στην ενότητα [«Τα αιτήματά μου»](/help/requests/) με στιγμιότυπο
   οθόνης ή κίνηση λογαριασμού όπου φαίνονται και οι δύο συναλλαγές.

Θα ελέγξουμε το ιστορικό πληρωμών με τον πάροχο πληρωμών μας. Μια επιβεβαιωμένη διπλή χρέωση
επιστρέφεται ολόκληρη στην ίδια κάρτα και εμφανίζεται σε **3–10 εργάσιμες ημέρες**, ή αμέσως
αν επιλέξετε το υπόλοιπο στην πλατφόρμα.""",
            ),
        },
    },
    {
        "slug": "payment-currency-conversion-fees",
        "weight": 70,
        "operator_resolvable": False,
        "email_contact": None,
        "text": {
            "en": (
                "Why was I charged more than the price shown? Are there currency conversion fees?",
                """The marketplace does not charge any fee for paying in a foreign currency.
Prices are shown in the currency you choose in **Settings → Currency**, converted at our
daily rate, and that is exactly the amount we charge.

A difference on your statement usually comes from your bank:

- your card is in one currency and the payment is in another, so the bank converts it at its
  own rate;
- some banks add a foreign transaction fee of 1–3%, even when the currencies match, because
  our payment processor is abroad;
- the bank converts on the day the charge is completed, which can be a day or two after the
  purchase.

To avoid or reduce these costs, set the marketplace currency to your card's currency before
you pay, or use a card without foreign transaction fees. The exact fee is listed in your
bank's tariffs.

Refunds are made in the same currency and for the same amount you paid. If the exchange rate
has changed in the meantime, the amount in your card's currency may differ slightly; we
cannot compensate that difference.""",
            ),
            "ru": (
                "Почему списали больше, чем стоил товар? Есть ли комиссия за конвертацию валюты?",
                """Маркетплейс не берёт комиссию за платёж в иностранной валюте. Цены
показываются в валюте, выбранной в разделе **«Настройки → Валюта»**, по нашему ежедневному
курсу, и именно эту сумму мы списываем.

Разница в выписке обычно возникает на стороне банка:

- карта открыта в одной валюте, а платёж проходит в другой, и банк конвертирует сумму по
  своему курсу;
- некоторые банки берут комиссию 1–3% за зарубежные операции, даже если валюта совпадает,
  потому что наш платёжный партнёр находится за границей;
- банк пересчитывает сумму в день окончательного списания, а это может быть через день-два
  после покупки.

Чтобы избежать этих расходов или сократить их, перед платежом выберите на маркетплейсе
валюту своей карты или платите картой без комиссии за зарубежные операции. Точный размер
комиссии указан в тарифах вашего банка.

Возврат средств проводится в той же валюте и на ту же сумму, которую вы заплатили. Если курс
за это время изменился, сумма в валюте карты может немного отличаться; такую разницу мы не
компенсируем.""",
            ),
            "el": (
                (
                    "Γιατί χρεώθηκα περισσότερα από την τιμή; Υπάρχουν χρεώσεις μετατροπής "
                    "νομίσματος;"
                ),
                """Η πλατφόρμα δεν χρεώνει προμήθεια για πληρωμές σε ξένο νόμισμα. Οι τιμές
εμφανίζονται στο νόμισμα που έχετε επιλέξει στις **«Ρυθμίσεις → Νόμισμα»**, με την ημερήσια
ισοτιμία μας, και αυτό ακριβώς είναι το ποσό που χρεώνουμε.

Η διαφορά στην κίνηση του λογαριασμού σας οφείλεται συνήθως στην τράπεζα:

- η κάρτα σας είναι σε ένα νόμισμα και η πληρωμή σε άλλο, οπότε η τράπεζα κάνει τη μετατροπή
  με δική της ισοτιμία
- ορισμένες τράπεζες χρεώνουν προμήθεια 1–3% για συναλλαγές στο εξωτερικό, ακόμη κι αν το
  νόμισμα είναι ίδιο, επειδή ο πάροχος πληρωμών μας βρίσκεται εκτός χώρας
- η τράπεζα κάνει τη μετατροπή την ημέρα που ολοκληρώνεται η χρέωση, μία ή δύο ημέρες μετά
  την αγορά

Για να αποφύγετε ή να μειώσετε αυτό το κόστος, πριν πληρώσετε ορίστε στην πλατφόρμα το
νόμισμα της κάρτας σας ή χρησιμοποιήστε κάρτα χωρίς προμήθεια εξωτερικού. Το ακριβές ποσό
αναγράφεται στον τιμοκατάλογο της τράπεζάς σας.

Η επιστροφή χρημάτων γίνεται στο ίδιο νόμισμα και για το ίδιο ποσό που πληρώσατε. Αν η
ισοτιμία έχει αλλάξει στο μεταξύ, το ποσό στο νόμισμα της κάρτας μπορεί να διαφέρει λίγο·
αυτή τη διαφορά δεν μπορούμε να την καλύψουμε.""",
            ),
        },
    },
    {
        "slug": "payment-marketplace-balance",
        "weight": 60,
        "operator_resolvable": False,
        "email_contact": None,
        "text": {
            "en": (
                "How do I pay with my marketplace balance?",
                """Your marketplace balance holds refunds you chose to receive as balance,
and gift card credit. It never expires and can be spent on any order.

To pay with it:

1. Add the items to your cart and go to **Checkout**.
2. Under **Payment method**, turn on **Use balance**. The amount available is shown next to
   the switch.
3. If the balance covers the whole order, confirm the payment; no card is needed. If it
   doesn't, pick a card or e-wallet for the remaining amount.

Good to know:

- The balance cannot be withdrawn as cash or transferred to another account.
- If you cancel an order paid with balance, or get a refund for it, that part is returned to
  your balance **instantly**.
- When an order was paid partly with balance and partly with a card, each part is refunded
  to where it came from.

You can see every top-up and payment in **Account → Balance → History**.""",
            ),
            "ru": (
                "Как оплатить заказ с баланса на маркетплейсе?",
                """На баланс поступают возвраты средств, которые вы решили получить на
баланс, и суммы подарочных карт. Срок действия у баланса не ограничен, им можно оплатить
любой заказ.

Как это сделать:

1. Добавьте товары в корзину и перейдите к **оформлению заказа**.
2. В блоке **«Способ оплаты»** включите переключатель **«Использовать баланс»** — рядом
   показана доступная сумма.
3. Если баланса хватает на весь заказ, подтвердите платёж — карта не понадобится. Если не
   хватает, выберите карту или электронный кошелёк для оставшейся суммы.

Полезно знать:

- Баланс нельзя вывести наличными или перевести на другой аккаунт.
- Если вы отмените заказ, оплаченный с баланса, или получите за него возврат средств, эта
  сумма вернётся на баланс **мгновенно**.
- Если заказ оплачен частично с баланса, а частично картой, каждая часть возвращается туда,
  откуда была списана.

Все пополнения и платежи видны в разделе **«Аккаунт → Баланс → История»**.""",
            ),
            "el": (
                "Πώς πληρώνω με το υπόλοιπο που έχω στην πλατφόρμα;",
                """Στο υπόλοιπο της πλατφόρμας μεταφέρονται οι επιστροφές χρημάτων που
επιλέξατε να λάβετε ως υπόλοιπο, καθώς και η αξία των δωροκαρτών. Δεν λήγει ποτέ και
μπορείτε να το χρησιμοποιήσετε σε οποιαδήποτε παραγγελία.

Πώς να πληρώσετε με αυτό:

1. Προσθέστε τα προϊόντα στο καλάθι και προχωρήστε στην **Ολοκλήρωση αγοράς**.
2. Στην ενότητα **«Τρόπος πληρωμής»** ενεργοποιήστε την επιλογή **«Χρήση υπολοίπου»**. Δίπλα
   εμφανίζεται το διαθέσιμο ποσό.
3. Αν το υπόλοιπο καλύπτει όλη την παραγγελία, επιβεβαιώστε την πληρωμή· δεν χρειάζεται
   κάρτα. Αν δεν φτάνει, επιλέξτε κάρτα ή ηλεκτρονικό πορτοφόλι για το ποσό που απομένει.

Καλό είναι να γνωρίζετε:

- Το υπόλοιπο δεν μπορεί να αναληφθεί σε μετρητά ούτε να μεταφερθεί σε άλλο λογαριασμό.
- Αν ακυρώσετε παραγγελία που πληρώθηκε με υπόλοιπο ή λάβετε επιστροφή χρημάτων γι' αυτήν,
  το ποσό επιστρέφει στο υπόλοιπο **αμέσως**.
- Αν η παραγγελία πληρώθηκε εν μέρει με υπόλοιπο και εν μέρει με κάρτα, κάθε ποσό
  επιστρέφεται εκεί από όπου προήλθε.

Όλες οι κινήσεις φαίνονται στην ενότητα **«Λογαριασμός → Υπόλοιπο → Ιστορικό»**.""",
            ),
        },
    },
    {
        "slug": "payment-contact-support",
        "weight": 50,
        "operator_resolvable": False,
        "email_contact": None,
        "text": {
            "en": (
                "How can I contact support, and in which languages and at what hours?",
                """The fastest way is from the order itself: open it in **My orders** and
press **Contact support**, so the agent sees the details at once. You can also start from
[My requests](/help/requests/).

Our channels:

- **English**: live chat **24/7**.
- **Russian**: live chat every day from **06:00 to 24:00 Moscow time**. Outside these hours,
  leave a request and we reply when the chat opens.
- **Greek**: by email only. Create a request in Greek and we answer by email, usually within
  **24 hours**.

Every chat and email becomes a request with a number, so you can follow it in
[My requests](/help/requests/) and add photos or documents later.

The phone hotline is the **last resort**: use it only if a request has gone unanswered for
more than 3 days or your account has been taken over by someone else. The number and hours
are shown in [My requests](/help/requests/) after you sign in. The hotline cannot open
disputes or send refunds any faster than the chat.""",
            ),
            "ru": (
                "Как связаться со службой поддержки? На каких языках и в какие часы она работает?",
                """Быстрее всего обратиться к нам прямо из заказа: откройте его в разделе
**«Мои заказы»** и нажмите **«Связаться с поддержкой»** — специалист сразу увидит все
детали. Также можно начать с раздела [«Мои обращения»](/help/requests/).

Каналы связи:

- **Английский**: онлайн-чат **круглосуточно**.
- **Русский**: онлайн-чат ежедневно с **06:00 до 24:00 по московскому времени**. В остальное
  время оставьте обращение — мы ответим, когда чат откроется.
- **Греческий**: только по электронной почте. Создайте обращение на греческом, и мы ответим
  письмом, обычно в течение **24 часов**.

Каждый чат и каждое письмо становятся обращением с номером: его можно отслеживать в разделе
[«Мои обращения»](/help/requests/) и позже добавлять фото или документы.

Горячая линия — **крайняя мера**: звоните, только если на обращение нет ответа больше 3 дней
или вашим аккаунтом завладел кто-то другой. Номер и часы работы указаны в разделе
[«Мои обращения»](/help/requests/) после входа в аккаунт. По телефону спор не открыть и
возврат средств не ускорить — всё это быстрее решается в чате.""",
            ),
            "el": (
                "Πώς επικοινωνώ με την υποστήριξη, σε ποιες γλώσσες και ποιες ώρες;",
                """Ο πιο γρήγορος τρόπος είναι μέσα από την ίδια την παραγγελία: ανοίξτε την
στην ενότητα **«Οι παραγγελίες μου»** και πατήστε **«Επικοινωνία με την υποστήριξη»**, ώστε
να βλέπουμε αμέσως όλα τα στοιχεία. Μπορείτε επίσης να ξεκινήσετε από την ενότητα
[«Τα αιτήματά μου»](/help/requests/).

Τα κανάλια μας:

- **Αγγλικά**: ζωντανή συνομιλία (chat) **24/7**.
- **Ρωσικά**: ζωντανή συνομιλία καθημερινά από τις **06:00 έως τις 24:00 ώρα Μόσχας**.
- **Ελληνικά**: μόνο μέσω email. Δημιουργήστε αίτημα στα ελληνικά και θα σας απαντήσουμε με
  email, συνήθως μέσα σε **24 ώρες**.

Κάθε συνομιλία και κάθε email γίνεται αίτημα με αριθμό, οπότε μπορείτε να το παρακολουθείτε
στην ενότητα [«Τα αιτήματά μου»](/help/requests/) και να προσθέτετε αργότερα φωτογραφίες ή
έγγραφα.

Η τηλεφωνική γραμμή είναι η **έσχατη λύση**: χρησιμοποιήστε την μόνο αν ένα αίτημα έχει
μείνει αναπάντητο πάνω από 3 ημέρες ή αν κάποιος άλλος έχει αποκτήσει πρόσβαση στον
λογαριασμό σας. Ο αριθμός και το ωράριο εμφανίζονται στα αιτήματά σας μόλις συνδεθείτε. Η
τηλεφωνική γραμμή δεν ανοίγει διαφορές και δεν επισπεύδει την επιστροφή χρημάτων.""",
            ),
        },
    },
    {
        "slug": "payment-methods-accepted",
        "weight": 40,
        "operator_resolvable": False,
        "email_contact": None,
        "text": {
            "en": (
                "Which payment methods can I use?",
                """The methods available depend on your country and are shown at checkout.
In most countries you can pay with:

- **Bank cards**: Visa, Mastercard, Maestro and UnionPay, debit or credit. The card must
  support online payments and 3-D Secure.
- **E-wallets**: PayPal, Apple Pay and Google Pay.
- **Marketplace balance**: on its own or together with a card or e-wallet.

We do not accept cash on delivery or bank transfers. Sellers are not allowed to ask you to
pay them directly, by transfer or through messengers: such payments are
**not covered by buyer protection**, and we cannot refund them. If a seller suggests this,
report the message from the order page.

You can save a card for faster checkout in **Account → Payment methods**. Card details are
stored by our payment processor, not by the marketplace or the seller, and the seller never
sees your card number.""",
            ),
            "ru": (
                "Какими способами можно оплатить заказ?",
                """Доступные способы зависят от страны и показываются при оформлении заказа.
В большинстве стран можно платить:

- **банковскими картами** Visa, Mastercard, Maestro и UnionPay — дебетовыми и кредитными;
  карта должна поддерживать интернет-платежи и 3-D Secure;
- **электронными кошельками**: PayPal, Apple Pay и Google Pay;
- **балансом на маркетплейсе** — целиком или вместе с картой или кошельком.

Наложенный платёж и банковский перевод не принимаются. Продавцам запрещено просить вас
заплатить им напрямую — переводом или через мессенджеры: такие платежи
**не защищены программой защиты покупателей**, и вернуть их мы не сможем. Если продавец
предлагает так сделать, пожалуйтесь на его сообщение со страницы заказа.

Карту можно сохранить для быстрого оформления заказов в разделе
**«Аккаунт → Способы оплаты»**. Данные карты хранит наш платёжный партнёр, а не маркетплейс
и не продавец, поэтому номер вашей карты продавец никогда не видит.""",
            ),
            "el": (
                "Με ποιους τρόπους μπορώ να πληρώσω;",
                """Οι διαθέσιμοι τρόποι εξαρτώνται από τη χώρα σας και εμφανίζονται κατά την
ολοκλήρωση της αγοράς. Στις περισσότερες χώρες μπορείτε να πληρώσετε με:

- **Τραπεζικές κάρτες** Visa, Mastercard, Maestro και UnionPay, χρεωστικές ή πιστωτικές. Η
  κάρτα πρέπει να υποστηρίζει ηλεκτρονικές αγορές και 3-D Secure.
- **Ηλεκτρονικά πορτοφόλια**: PayPal, Apple Pay και Google Pay.
- **Υπόλοιπο στην πλατφόρμα**, μόνο του ή σε συνδυασμό με κάρτα ή πορτοφόλι.

Δεν δεχόμαστε αντικαταβολή ούτε τραπεζικό έμβασμα. Οι πωλητές δεν επιτρέπεται να σας ζητούν
να τους πληρώσετε απευθείας, με έμβασμα ή μέσω εφαρμογών μηνυμάτων: τέτοιες πληρωμές
**δεν καλύπτονται από την προστασία αγοραστή** και δεν μπορούμε να τις επιστρέψουμε. Αν
κάποιος πωλητής σας το προτείνει, αναφέρετε το μήνυμα από τη σελίδα της παραγγελίας.

Μπορείτε να αποθηκεύσετε μια κάρτα για γρηγορότερες αγορές στην ενότητα
**«Λογαριασμός → Τρόποι πληρωμής»**. Τα στοιχεία της κάρτας τα φυλάσσει ο πάροχος πληρωμών
μας, όχι η πλατφόρμα ή ο πωλητής, και ο πωλητής δεν βλέπει ποτέ τον αριθμό της κάρτας σας.""",
            ),
        },
    },
    {
        "slug": "payment-receipt-vat-invoice",
        "weight": 30,
        "operator_resolvable": True,
        "email_contact": None,
        "text": {
            "en": (
                "How do I get a receipt or a VAT invoice for my order?",
                """Every paid order has an electronic receipt issued by the marketplace. To
download it:

1. Open the order in **My orders**.
2. Press **Payment details → Download receipt**.
3. Save the PDF, or send it to your email from the same screen.

The receipt shows the order number, the items, the amount, the payment method (only the last
four digits of a card) and the payment date. It is accepted as proof of purchase, including
for warranty claims.

A **VAT invoice** for a company is issued by the seller, not by the marketplace, because the
seller is the one selling the goods. Ask for it in the order chat within
**30 days of delivery** and give your company name, address and VAT number. Sellers whose
listing shows **Business invoice available** must issue it within 5 days; for other sellers
it is at their discretion.

If the download button is missing or the receipt has wrong details, contact us in chat and
an agent will reissue it.""",
            ),
        },
    },
    {
        "slug": "payment-remove-saved-card",
        "weight": 20,
        "operator_resolvable": False,
        "email_contact": None,
        "text": {
            "en": (
                "How do I remove or change a saved card?",
                """You manage saved cards in **Account → Payment methods**:

1. Find the card in the list.
2. Press **Remove** to delete it, or **Set as default** on another card to use that one
   first at checkout.
3. To update an expiry date, remove the old card and add the new one; card details cannot be
   edited in place.

Removing a card does not affect orders you have already paid. Refunds for those orders still
go back to the same card account, even if the card is no longer saved, and banks normally
credit them to the account linked to a reissued card.

A card cannot be removed while it pays for something recurring, for example an extended
protection plan paid monthly. Switch that plan to another card first.

If you see a card you don't recognise, remove it, change your password and contact us at
once: an unknown card may mean that someone else has access to your account.""",
            ),
        },
    },
]
