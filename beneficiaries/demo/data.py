"""The demo's script: who signs in, which villages, programmes, partners and enterprises,
what the stories are, and the names and amounts they draw from."""

import datetime

from programs.models import Agency, Partner
from regions.models import Role

from ..models import Enterprise, ExitReason
from ..models.cases import AssistanceKind as Kind

PASSWORD = "banten-demo-2026"
# The demo's authenticator key (hex, as django-otp keeps it) for every login that reaches the
# admin: published like the password, so the demo works; base32 for an app:
# GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ.
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"
SEED = 2026

# username, role, region, first name, last name. Sumberjaya and Kertajaya lie in Kec. Sumur.
USERS = [
    ("provinsi", Role.PROVINCE, "36", "Dinas Sosial", "Provinsi Banten"),
    ("pandeglang", Role.REGENCY, "36.01", "DPMD", "Kab. Pandeglang"),
    ("kota_tangerang", Role.REGENCY, "36.71", "Dinas Sosial", "Kota Tangerang"),
    ("camat_sumur", Role.DISTRICT, "36.01.01", "Camat", "Sumur"),
    ("kades_sumberjaya", Role.VILLAGE, "36.01.01.2001", "Kepala Desa", "Sumberjaya"),
    ("kades_kertajaya", Role.VILLAGE, "36.01.01.2002", "Kepala Desa", "Kertajaya"),
    ("kader_sumberjaya", Role.CADRE, "36.01.01.2001", "Kader PKK", "Sumberjaya"),
    ("kader_kertajaya", Role.CADRE, "36.01.01.2002", "Kader Posyandu", "Kertajaya"),
]

# village, households, who does the case work, who approves (None: the worker is an official)
VILLAGES = [
    ("36.01.01.2001", 40, "kades_sumberjaya", "camat_sumur"),
    ("36.01.01.2002", 20, "kades_kertajaya", "camat_sumur"),
    ("36.01.01.2003", 15, "camat_sumur", None),
    ("36.01.12.2002", 15, "pandeglang", None),
    ("36.02.01.2004", 20, "provinsi", None),
    ("36.02.14.2001", 15, "provinsi", None),
    ("36.02.14.1002", 12, "provinsi", None),
    ("36.71.01.1001", 20, "kota_tangerang", None),
    ("36.71.01.1005", 13, "kota_tangerang", None),
    ("36.03.01.1001", 10, "provinsi", None),
    ("36.03.01.2003", 12, "provinsi", None),
    ("36.03.01.2014", 8, "provinsi", None),
]
REGENCY_OFFICIAL = {
    "36.01": "pandeglang",
    "36.02": "provinsi",
    "36.71": "kota_tangerang",
    "36.03": "provinsi",
}
ACTIVITY_RECORDER = {"36.01.01.2001": "kader_sumberjaya"}

PROGRAMS = {
    "basic": dict(
        name="Jaminan Sosial Rakyat Banten Bersatu (Jamsosratu)",
        agency=Agency.DINSOS,
        description="Bantuan kebutuhan dasar bersyarat bagi rumah tangga miskin, serupa PKH.",
    ),
    "extreme": dict(
        name="Percepatan Penghapusan Kemiskinan Ekstrem",
        agency=Agency.BAPPEDA,
        description="Mengurangi beban pengeluaran, menaikkan pendapatan, mengecilkan kantong kemiskinan.",
    ),
    "women": dict(
        name="Pemberdayaan Ekonomi Perempuan",
        agency=Agency.DP3AKKB,
        description="Pelatihan tata boga, kewirausahaan perorangan dan kelompok, akses modal usaha.",
        targets_women=True,
    ),
    "stunting": dict(
        name="Percepatan Penurunan Stunting",
        agency=Agency.DINKES,
        description="Intervensi gizi spesifik dan sensitif bersama posyandu.",
    ),
    "umkm": dict(
        name="Penguatan Usaha Mikro dan Koperasi",
        agency=Agency.DINKOP,
        description="Alat kerja, bahan baku, modal kerja dan badan usaha bagi kelompok.",
    ),
}
PROGRAM_START = datetime.date(2023, 1, 1)

PARTNERS = {
    "pkk_banten": ("TP PKK Provinsi Banten", Partner.Kind.PKK, "36"),
    "pkk_sumberjaya": ("TP PKK Desa Sumberjaya", Partner.Kind.PKK, "36.01.01.2001"),
    "posyandu_sumberjaya": ("Posyandu Melati Sumberjaya", Partner.Kind.POSYANDU, "36.01.01.2001"),
    "posyandu_kertajaya": ("Posyandu Mawar Kertajaya", Partner.Kind.POSYANDU, "36.01.01.2002"),
    "pkk_lebak": ("TP PKK Kabupaten Lebak", Partner.Kind.PKK, "36.02"),
    "posyandu_sukarasa": ("Posyandu Anggrek Sukarasa", Partner.Kind.POSYANDU, "36.71.01.1001"),
    "koperasi_pandeglang": ("Koperasi Simpan Pinjam Mitra Usaha", Partner.Kind.COOPERATIVE, "36.01"),
    "bumdes_sukaraja": ("BUMDes Sukaraja Mandiri", Partner.Kind.BUMDES, "36.02.01.2004"),
    "bank_bjb": ("Bank bjb Cabang Pandeglang", Partner.Kind.BANK, "36.01"),
    "bank_bri": ("BRI Unit Balaraja", Partner.Kind.BANK, "36.03.01"),
    "ngo_banten": ("Yayasan Peduli Keluarga Banten", Partner.Kind.NGO, "36"),
}

ENTERPRISES = {  # per regency: where, what, and the capital it sought
    "36.01": ("36.01.01.2001", "Koperasi Wanita Mekar Sejahtera", Enterprise.LegalForm.COOPERATIVE,
              "9120001234567", [("kur", 50_000_000, "disbursed"), ("grant", 25_000_000, "approved"),
                                ("revolving", 15_000_000, "applied"), ("csr", 30_000_000, "rejected")]),
    "36.02": ("36.02.01.2004", "Unit Usaha BUMDes Sukaraja Mandiri", Enterprise.LegalForm.BUMDES_UNIT,
              "", [("bumdes", 20_000_000, "disbursed")]),
    "36.71": ("36.71.01.1001", "KUBE Digital Sukarasa", Enterprise.LegalForm.KUBE,
              "9120007654321", [("csr", 10_000_000, "disbursed"), ("kur", 25_000_000, "applied")]),
    "36.03": ("36.03.01.2003", "UD Cangkudu Berkah Tani", Enterprise.LegalForm.UD,
              "", [("revolving", 12_500_000, "approved")]),
}  # fmt: skip
NORTH = {"36.03", "36.71"}
GROUP_NAMES = [("KUBE Mekar Sari", "KUBE Tunas Harapan"), ("KUBE Sinar Mandiri", "KUBE Maju Bersama")]

MALE = "Asep Dede Ujang Cecep Endang Jajang Ade Agus Dadang Iwan Yayat Rahmat Hendra Maman Nana " \
    "Oman Wawan Budi Ahmad Saepudin Jaenudin Rohman Engkos Sukri Tatang".split()  # fmt: skip
FEMALE = "Siti Euis Neneng Imas Yati Nining Aisyah Enok Cucu Entin Iis Tati Dewi Nurhayati " \
    "Rohaeti Aminah Ela Lilis Nenden Popon Yeni Sri Rina Wati".split()  # fmt: skip
SURNAME_M = "Suryana Hidayat Saputra Rohmat Mulyana Kurniawan Setiawan Permana Hermawan " \
    "Sulaeman Wahyudi Nurjaman Ruhiyat Jaelani Maulana".split()  # fmt: skip
SURNAME_F = "Rahayu Nurhasanah Kurniasih Hasanah Komalasari Rohmawati Lestari Fitriani " \
    "Maesaroh Sumiati".split()  # fmt: skip
CHILD_M = "Rizky Fajar Ilham Dimas Farhan Naufal Aldi Raka Dafa Arya".split()
CHILD_F = "Aulia Nabila Salsabila Putri Zahra Anisa Keisha Nayla Syifa Alya".split()
KAMPUNG = "Sukamaju Cikoneng Babakan Pasirhuni Ciherang Kadupandak Pasanggrahan Leuwiranji".split()
JALAN = "Melati Kenanga Flamboyan Mawar Cempaka Dahlia Anggrek Kamboja".split()
OUTSIDE_BANTEN = ["327301", "317404", "330201"]  # Kota Bandung, Jakarta Selatan, Banyumas

# Every story is a list of steps; the executor knows nothing else.
EXITS = [f"exit_{reason}" for reason in ExitReason.values]
FALLBACK_FLOOD = "Rumah rusak terkena banjir; kebutuhan dasar belum terpenuhi lagi."
FALLBACK_ILLNESS = "Kepala keluarga sakit berat, usaha berhenti sementara."
REJECT_NOTE = "Usaha kelompok baru berjalan; ajukan lagi setelah ada laporan penjualan tiga bulan."
APPROVE_NOTE = "Sesuai hasil verifikasi lapangan."
# Every state appears at least once, whatever the random draw (village -> stories first).
MANDATORY = {
    "36.01.01.2001": ["pending", "s1", "rejected", "grad", "s3", "fallback_3_2", "exit_moved", "pending"],
    "36.01.01.2002": ["pending", "rejected", "grad", "exit_deceased", "fallback_2_1"],
    "36.01.12.2002": ["exit_declined", "reentry", "grad"],
    "36.02.01.2004": ["exit_ineligible", "grad", "none"],
    "36.71.01.1001": ["exit_duplicate", "grad", "s3"],
    "36.03.01.2003": ["grad", "s3", "fallback_2_1"],
}
# Over how many months (counted back from the anchor, 12 unless named) the households of a
# story take turns for the month of its own step: long stories need room before it, and a
# proposal waits a month or two, not a year.
TURNS = {"s3": 9, "grad": 9, "fallback_3_2": 9, "rejected": 9, "pending": 2}
WEIGHTS = {"none": 4, "s1": 28, "s2": 26, "s3": 15, "grad": 8, "fallback_2_1": 3, "fallback_3_2": 2,
           "reentry": 1, **dict.fromkeys(EXITS, 1)}  # fmt: skip
VILLAGE_HEAD_WEIGHTS = {**WEIGHTS, "pending": 5, "rejected": 2}


BASIC_KINDS = {Kind.FOOD: 40, Kind.CASH: 25, Kind.HEALTH: 15, Kind.EDUCATION: 15, Kind.HOUSING: 5}
PRODUCTIVE_KINDS = [Kind.WORK_TOOLS, Kind.RAW_MATERIALS, Kind.WORKING_CAPITAL]
# kind -> (lowest, highest, step) in rupiah, quantity, unit
AMOUNTS = {
    Kind.FOOD: (200_000, 300_000, 25_000, 1, "paket"),
    Kind.CASH: (300_000, 600_000, 50_000, None, ""),
    Kind.HEALTH: (150_000, 500_000, 50_000, None, ""),
    Kind.EDUCATION: (450_000, 1_000_000, 50_000, 1, "anak"),
    Kind.HOUSING: (15_000_000, 20_000_000, 500_000, 1, "unit"),
    Kind.WORK_TOOLS: (1_500_000, 5_000_000, 250_000, 1, "paket"),
    Kind.RAW_MATERIALS: (750_000, 2_500_000, 250_000, 1, "paket"),
    Kind.WORKING_CAPITAL: (2_000_000, 5_000_000, 500_000, None, ""),
    Kind.TRAINING: (500_000, 1_500_000, 250_000, 1, "orang"),
}
NOTES = {
    Kind.FOOD: ["Paket sembako: beras 10 kg, minyak goreng, telur"],
    Kind.CASH: ["Bantuan tunai bersyarat triwulan"],
    Kind.HEALTH: ["Pemeriksaan dan obat di puskesmas", "Makanan tambahan balita"],
    Kind.EDUCATION: ["Seragam dan biaya sekolah anak"],
    Kind.HOUSING: ["Bedah rumah tidak layak huni (RTLH)"],
    Kind.TRAINING: ["Biaya pelatihan keterampilan usaha"],
}
PRODUCTIVE_NOTES = {
    "south": {
        Kind.WORK_TOOLS: ["Cangkul, sprayer dan alat tanam", "Jaring dan alat tangkap ikan", "Mesin jahit"],
        Kind.RAW_MATERIALS: ["Bibit padi dan pupuk", "Bahan keripik pisang dan kemasan", "Bibit ikan lele"],
        Kind.WORKING_CAPITAL: ["Modal kerja usaha olahan pangan", "Modal kerja warung"],
    },
    "north": {
        Kind.WORK_TOOLS: [
            "Gerobak dan peralatan dagang",
            "Ponsel untuk jualan daring",
            "Oven dan etalase kue",
        ],
        Kind.RAW_MATERIALS: ["Bahan kue dan kemasan", "Stok barang dagangan"],
        Kind.WORKING_CAPITAL: ["Modal kerja usaha jasa daring", "Modal kerja warung"],
    },
}
AID_PARTNERS = {
    Kind.WORK_TOOLS: {Partner.Kind.COOPERATIVE, Partner.Kind.BUMDES},
    Kind.RAW_MATERIALS: {Partner.Kind.COOPERATIVE, Partner.Kind.BUMDES},
    Kind.WORKING_CAPITAL: {Partner.Kind.BANK, Partner.Kind.COOPERATIVE},
    Kind.TRAINING: {Partner.Kind.PKK},
    Kind.HEALTH: {Partner.Kind.POSYANDU},
    Kind.FOOD: {Partner.Kind.NGO},
}
MOVE_REASONS = {
    "2": "Kebutuhan dasar sudah terpenuhi; rumah tangga siap mandiri.",
    "3": "Usaha rumah tangga berjalan; bergabung dengan kelompok usaha bersama.",
    "graduated": "Kelompok berjalan dalam badan usaha; rumah tangga tidak lagi bergantung bantuan.",
}
SUMBERJAYA = "36.01.01.2001"


SECTORS = {"36.01": ("culinary", "fishery"), "36.02": ("agriculture", "livestock"),
           "36.71": ("digital", "services"), "36.03": ("agriculture", "trade")}  # fmt: skip
